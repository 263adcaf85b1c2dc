using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// One TCP listener: every accepted connection goes to the member the pool's runtime chooses, and bytes are copied
/// both ways until either side closes, or until the member's connections are dropped.
/// </summary>
public sealed class TcpListenerProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Func<PoolRuntime?> _pool;
    private readonly MemberConnections _connections;

    public TcpListenerProxy(IPAddress address, int port, Func<PoolRuntime?> pool, MemberConnections connections)
    {
        _pool = pool;
        _connections = connections;
        _listener = new TcpListener(address, port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
        _accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            if (_pool() is not { } runtime) return;
            var address = (client.Client.RemoteEndPoint as IPEndPoint)?.Address.ToString();
            var chosen = runtime.Choose(new ClientRequest(address));
            if (chosen < 0) return;
            var member = runtime.Route.Members[chosen];
            var lane = _connections.For(member.Id);
            using var lease = runtime.Counters[chosen].Start();
            using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, lane.Dropped.Token);
            try
            {
                if (!_connections.Egress.Allows(member.Address, member.ProtocolPort, "tcp"))
                {
                    runtime.Counters[chosen].Failed();
                    return;
                }
                using var backend = new TcpClient();
                await backend.ConnectAsync(member.Address, member.ProtocolPort, cut.Token);
                var clientStream = client.GetStream();
                var backendStream = backend.GetStream();
                await Task.WhenAny(clientStream.CopyToAsync(backendStream, cut.Token), backendStream.CopyToAsync(clientStream, cut.Token));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                if (!cut.IsCancellationRequested) runtime.Counters[chosen].Failed();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
