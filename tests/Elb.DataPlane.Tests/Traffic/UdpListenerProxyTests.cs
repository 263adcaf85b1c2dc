using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Elb.DataPlane.Tests.Traffic;

/// <summary>
/// A UDP listener holds at most its cap of sessions (a new client takes the place of the least recently used), ends
/// idle sessions on its timer, and goes on after a failure.
/// </summary>
public sealed class UdpListenerProxyTests : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly Socket _member = new(SocketType.Dgram, ProtocolType.Udp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _clients = [];

    public UdpListenerProxyTests()
    {
        _member.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = EchoAsync();
    }

    private async Task EchoAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var received = await _member.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                await _member.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    [Fact]
    public async Task A_listener_keeps_at_most_its_cap_of_sessions_and_replaces_the_least_recently_used()
    {
        var memberPort = ((IPEndPoint)_member.LocalEndPoint!).Port;
        var runtime = Relays.LoopbackPool(memberPort);
        var port = FreeUdpPort();
        await using var listener = new UdpListenerProxy(IPAddress.Loopback, port, () => runtime, Relays.Connections(),
            new UdpRelayOptions(MaxSessions: 2), Relays.Faults(), "udp", TimeProvider.System);
        var listening = new IPEndPoint(IPAddress.Loopback, port);

        var first = await ClientAsync(listening);
        var second = await ClientAsync(listening);
        Assert.Equal(2, runtime.Counters[0].Active);
        await EchoedAsync(first, listening);
        var third = await ClientAsync(listening);

        // The second client was used least recently: its session made room; the cap holds.
        Assert.Equal(2, runtime.Counters[0].Active);
        Assert.Equal(3, runtime.Counters[0].Handled);
        await EchoedAsync(first, listening);
        await EchoedAsync(third, listening);
        Assert.Equal(3, runtime.Counters[0].Handled);
        await EchoedAsync(second, listening);
        Assert.Equal(4, runtime.Counters[0].Handled);
        Assert.Equal(2, runtime.Counters[0].Active);
    }

    [Fact]
    public async Task A_session_without_datagrams_for_the_idle_timeout_ends_and_traffic_keeps_it_open()
    {
        var runtime = Relays.LoopbackPool(((IPEndPoint)_member.LocalEndPoint!).Port);
        var time = new FakeTimeProvider();
        var port = FreeUdpPort();
        await using var listener = new UdpListenerProxy(IPAddress.Loopback, port, () => runtime, Relays.Connections(time),
            new UdpRelayOptions(), Relays.Faults(), "udp", time);
        var listening = new IPEndPoint(IPAddress.Loopback, port);

        var client = await ClientAsync(listening);
        time.Advance(UdpListenerProxy.IdleTimeout - TimeSpan.FromSeconds(10));
        await EchoedAsync(client, listening);
        time.Advance(UdpListenerProxy.IdleTimeout - TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.Equal(1, runtime.Counters[0].Active);

        time.Advance(TimeSpan.FromSeconds(15));
        await Until(() => runtime.Counters[0].Active == 0);
        Assert.Equal((1, 0), (runtime.Counters[0].Handled, runtime.Counters[0].Failures));
        await EchoedAsync(client, listening);
        Assert.Equal(2, runtime.Counters[0].Handled);
    }

    [Fact]
    public async Task A_failure_while_relaying_is_reported_and_the_listener_goes_on()
    {
        var runtime = Relays.LoopbackPool(((IPEndPoint)_member.LocalEndPoint!).Port);
        var broken = true;
        var faults = Relays.Faults();
        var port = FreeUdpPort();
        await using var listener = new UdpListenerProxy(IPAddress.Loopback, port,
            () => broken ? throw new InvalidOperationException("broken on purpose") : runtime, Relays.Connections(),
            new UdpRelayOptions(), faults, "udp listener", TimeProvider.System);
        var listening = new IPEndPoint(IPAddress.Loopback, port);
        var client = new Socket(SocketType.Dgram, ProtocolType.Udp);
        _clients.Add(client);
        await client.SendToAsync(new byte[] { 1 }, listening);

        var deadline = DateTime.UtcNow + Within;
        while (!faults.Current.ContainsKey("udp listener"))
        {
            Assert.True(DateTime.UtcNow < deadline, "no fault reported");
            await Task.Delay(10);
        }
        Assert.Contains("broken on purpose", faults.Current["udp listener"].Error);
        broken = false;

        await EchoedAsync(client, listening);
        // the echo can reach the client before the listener records its recovery (a busy machine showed it)
        await Until(() => faults.Current.Count == 0);
    }

    private async Task<Socket> ClientAsync(IPEndPoint listener)
    {
        var client = new Socket(SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _clients.Add(client);
        await EchoedAsync(client, listener);
        return client;
    }

    /// <summary>Sends a datagram through the listener and waits for the member's echo.</summary>
    private static async Task EchoedAsync(Socket client, IPEndPoint listener)
    {
        using var timeout = new CancellationTokenSource(Within);
        var payload = Guid.NewGuid().ToByteArray();
        await client.SendToAsync(payload, listener, timeout.Token);
        var buffer = new byte[64];
        var received = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal(payload, buffer[..received.ReceivedBytes]);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _member.Dispose();
        foreach (var client in _clients) client.Dispose();
    }
}
