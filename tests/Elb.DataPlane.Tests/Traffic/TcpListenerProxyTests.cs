using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace Elb.DataPlane.Tests.Traffic;

/// <summary>A TCP listener's relays: a cap on open connections, an idle timeout and a connect timeout.</summary>
public sealed class TcpListenerProxyTests : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly TcpListener _member = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _owned = [];

    private int MemberPort => ((IPEndPoint)_member.LocalEndpoint).Port;

    /// <summary>The member echoes what it reads.</summary>
    private void StartEchoMember()
    {
        _member.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _member.AcceptTcpClientAsync(_stop.Token);
                _owned.Add(connection);
                _ = connection.GetStream().CopyToAsync(connection.GetStream(), _stop.Token);
            }
        });
    }

    private async Task<(TcpListenerProxy Proxy, IPEndPoint At)> ListenAsync(TcpRelayOptions options, TimeProvider time, Func<Elb.DataPlane.LoadBalancing.PoolRuntime> pool)
    {
        var port = FreeTcpPort();
        var proxy = new TcpListenerProxy(IPAddress.Loopback, port, pool, Relays.Connections(time), options, Relays.Faults(), "tcp", time);
        await Task.Yield();
        return (proxy, new IPEndPoint(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Connections_past_the_cap_are_closed_at_once_and_taken_again_once_one_ends()
    {
        StartEchoMember();
        var runtime = Relays.LoopbackPool(MemberPort);
        var (proxy, at) = await ListenAsync(TcpRelayOptions.Default with { MaxConnections = 1 }, TimeProvider.System, () => runtime);
        await using var listening = proxy;

        var first = await ConnectAsync(at);
        await EchoesAsync(first);
        var second = await ConnectAsync(at);
        Assert.True(await ClosedAsync(second), "a connection past the cap is closed");
        await EchoesAsync(first);

        first.Dispose();
        await Until(() => proxy.Open == 0);
        await EchoesAsync(await ConnectAsync(at));
        Assert.Equal(2, runtime.Counters[0].Handled);
    }

    [Fact]
    public async Task A_connection_without_traffic_for_the_idle_timeout_is_closed_and_traffic_keeps_it_open()
    {
        StartEchoMember();
        var time = new FakeTimeProvider();
        var runtime = Relays.LoopbackPool(MemberPort);
        var (proxy, at) = await ListenAsync(TcpRelayOptions.Default with { IdleTimeout = TimeSpan.FromSeconds(10) }, time, () => runtime);
        await using var listening = proxy;

        var client = await ConnectAsync(at);
        await EchoesAsync(client);
        time.Advance(TimeSpan.FromSeconds(9));
        await EchoesAsync(client);
        time.Advance(TimeSpan.FromSeconds(9));
        await EchoesAsync(client);
        time.Advance(TimeSpan.FromSeconds(11));

        Assert.True(await ClosedAsync(client), "an idle connection is closed");
        await Until(() => runtime.Counters[0].Active == 0);
        Assert.Equal(0, runtime.Counters[0].Failures);
    }

    [Fact]
    public async Task A_member_that_does_not_accept_within_the_connect_timeout_fails_the_connection()
    {
        // A listener whose accept queue is full drops further SYNs: connecting to it hangs.
        _member.Start(backlog: 1);
        for (var i = 0; i < 4; i++)
        {
            var filler = new TcpClient();
            _owned.Add(filler);
            _ = filler.ConnectAsync(IPAddress.Loopback, MemberPort, _stop.Token).AsTask().ContinueWith(failed => failed.Exception, TaskScheduler.Default);
        }
        await Task.Delay(200);
        var time = new FakeTimeProvider();
        var runtime = Relays.LoopbackPool(MemberPort);
        var (proxy, at) = await ListenAsync(TcpRelayOptions.Default, time, () => runtime);
        await using var listening = proxy;

        var client = await ConnectAsync(at);
        await Until(() => runtime.Counters[0].Active == 1);
        await Task.Delay(300);
        Assert.Equal(0, runtime.Counters[0].Failures);
        time.Advance(TcpRelayOptions.Default.ConnectTimeout);

        await Until(() => runtime.Counters[0].Failures == 1);
        Assert.True(await ClosedAsync(client), "the client's connection is closed");
    }

    private async Task<TcpClient> ConnectAsync(IPEndPoint at)
    {
        var client = new TcpClient();
        _owned.Add(client);
        await client.ConnectAsync(at);
        return client;
    }

    private static async Task EchoesAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(Within);
        var payload = Guid.NewGuid().ToByteArray();
        await client.GetStream().WriteAsync(payload, timeout.Token);
        var echoed = new byte[payload.Length];
        await client.GetStream().ReadExactlyAsync(echoed, timeout.Token);
        Assert.Equal(payload, echoed);
    }

    /// <summary>Whether the peer closes the connection (end of stream or reset) within a few seconds.</summary>
    private static async Task<bool> ClosedAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(Within);
        try
        {
            return await client.GetStream().ReadAsync(new byte[16], timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
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

    private static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _member.Stop();
        foreach (var owned in _owned) owned.Dispose();
        return ValueTask.CompletedTask;
    }
}
