using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.Heartbeats;
using Elb.DataPlane.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.HealthChecks;

public sealed class HealthProberTests : IDisposable
{
    private readonly TcpListener _member = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task A_member_is_probed_at_once_and_then_every_delay()
    {
        _member.Start();
        var port = ((IPEndPoint)_member.LocalEndpoint).Port;
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var probe = await _member.AcceptTcpClientAsync();
                Interlocked.Increment(ref accepted);
            }
        });
        var table = new RoutingTable();
        // Monitored TCP every 5 s; the member is ONLINE, as the probes will find it, so nothing is reported.
        table.Load(Evolve(Created(), PoolCreated(protocol: Protocol.Tcp), MemberAdded("127.0.0.1", port), MonitorCreated(type: HealthMonitorType.Tcp)) with { Version = 4 });
        var time = new FakeTimeProvider(Now);
        // No wolverine: nothing is reported while the member is as the control plane says.
        using var prober = new HealthProber(table, new LocalHealth(), null!, new HeartbeatOptions(), Relays.Connections(time).Egress,
            Relays.Faults(), time, NullLogger<HealthProber>.Instance);
        await prober.StartAsync(CancellationToken.None);

        await Until(() => Volatile.Read(ref accepted) == 1);
        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(200);
        Assert.Equal(1, Volatile.Read(ref accepted));
        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => Volatile.Read(ref accepted) == 2);
        time.Advance(TimeSpan.FromSeconds(5));
        await Until(() => Volatile.Read(ref accepted) == 3);

        await prober.StopAsync(CancellationToken.None);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    public void Dispose() => _member.Stop();
}
