using Elb.Commands.BackendServerGroups;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Sessions;

/// <summary>Expired sticky ties are dropped by a timer, not by requests.</summary>
public class StickySessionSweeperTests
{
    private static readonly SessionPersistence SourceIp = new(StickySessionType.SourceIp, null, 1);

    [Fact]
    public async Task The_sweeper_drops_expired_ties_on_its_timer()
    {
        var time = new FakeTimeProvider(Now);
        var table = new RoutingTable();
        table.Load(Evolve(Created(), PoolCreated(protocol: Protocol.Tcp, sticky: SourceIp), MemberAdded("10.0.0.1")) with { Version = 3 });
        var options = new StickyTableOptions(SweepSeconds: 30);
        var runtime = new RoutingRuntime(table, new LocalHealth(), time, new ScriptedRandom(0), options);
        using var sweeper = new StickySessionSweeper(runtime, options, time, NullLogger<StickySessionSweeper>.Instance);
        await sweeper.StartAsync(CancellationToken.None);
        var pool = runtime.For(PoolId)!;
        pool.Choose(new ClientRequest("1.1.1.1"));
        time.Advance(TimeSpan.FromSeconds(30));
        pool.Choose(new ClientRequest("2.2.2.2"));

        // Ties last a minute after their last use: at 60 s the first has expired, at 90 s the second.
        Assert.Equal(2, pool.Affinity!.Count);
        time.Advance(TimeSpan.FromSeconds(30));
        await Until(() => pool.Affinity.Count == 1);
        time.Advance(TimeSpan.FromSeconds(30));
        await Until(() => pool.Affinity.Count == 0);
        await sweeper.StopAsync(CancellationToken.None);
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
}
