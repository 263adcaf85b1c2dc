using System.Net;
using System.Net.Sockets;

namespace Elb.IntegrationTests;

/// <summary>UDP backend servers on loopback that answer every datagram with their own name.</summary>
public sealed class UdpBackends : IAsyncDisposable
{
    private readonly List<UdpClient> _sockets = [];
    private readonly List<Task> _serving = [];

    public List<int> Ports { get; } = [];

    public static UdpBackends Start(int count)
    {
        var backends = new UdpBackends();
        for (var i = 0; i < count; i++)
        {
            var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var name = System.Text.Encoding.UTF8.GetBytes($"backend-{i}");
            backends._sockets.Add(socket);
            backends.Ports.Add(((IPEndPoint)socket.Client.LocalEndPoint!).Port);
            backends._serving.Add(Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var received = await socket.ReceiveAsync();
                        await socket.SendAsync(name, received.RemoteEndPoint);
                    }
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException)
                {
                }
            }));
        }
        return backends;
    }

    /// <summary>Closes the backend's socket: its host then answers datagrams with ICMP port unreachable.</summary>
    public void Stop(int index) => _sockets[index].Dispose();

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets) socket.Dispose();
        await Task.WhenAll(_serving);
    }
}
