using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Traffic;
using Microsoft.Extensions.Time.Testing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Traffic;

/// <summary>A member that stops serving loses its connections: at once, or after its pool's drain timeout.</summary>
public class MemberConnectionsTests
{
    private static readonly Guid MemberId = Guid.Parse("00000000-0000-0000-0000-0000000000c1");

    private static ILoadBalancerEvent[] Serving(bool draining) =>
    [
        Created(), PoolCreated(),
        new BackendServerGroupUpdated(PoolId, Project, LoadBalancerId, "pool", "", LbAlgorithm.RoundRobin, null, new SlowStartSettings(false, 60),
            false, Now, new ConnectionDrain(draining, 10)),
        MemberAdded("10.0.0.1", id: MemberId),
    ];

    private static readonly ILoadBalancerEvent Removed = new BackendServerRemoved(MemberId, PoolId, Project, LoadBalancerId, Now);

    private static (RoutingTable Table, MemberConnections Connections, FakeTimeProvider Time) Node(bool draining)
    {
        var table = new RoutingTable();
        Assert.True(table.Load(Evolve(Serving(draining)) with { Version = 4 }));
        var time = new FakeTimeProvider(Now);
        return (table, Relays.Connections(time, table), time);
    }

    [Fact]
    public void A_removed_member_of_a_pool_without_draining_loses_its_connections_at_once()
    {
        var (table, connections, _) = Node(draining: false);
        var dropped = connections.For(MemberId).Dropped.Token;

        table.Load(Evolve([.. Serving(false), Removed]) with { Version = 5 });

        Assert.True(dropped.IsCancellationRequested);
    }

    [Fact]
    public async Task A_removed_member_of_a_draining_pool_keeps_its_connections_for_the_drain_timeout()
    {
        var (table, connections, time) = Node(draining: true);
        var dropped = connections.For(MemberId).Dropped.Token;

        table.Load(Evolve([.. Serving(true), Removed]) with { Version = 5 });
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(100);
        Assert.False(dropped.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(1));
        await Until(() => dropped.IsCancellationRequested);
    }

    [Fact]
    public async Task A_draining_member_that_serves_again_before_the_timeout_keeps_its_connections()
    {
        var (table, connections, time) = Node(draining: true);
        var dropped = connections.For(MemberId).Dropped.Token;

        table.Load(Evolve([.. Serving(true), new BackendServerUpdated(MemberId, PoolId, Project, LoadBalancerId, "", 0, Now)]) with { Version = 5 });
        time.Advance(TimeSpan.FromSeconds(5));
        table.Load(Evolve([.. Serving(true), new BackendServerUpdated(MemberId, PoolId, Project, LoadBalancerId, "", 0, Now),
            new BackendServerUpdated(MemberId, PoolId, Project, LoadBalancerId, "", 1, Now)]) with { Version = 6 });
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(100);

        Assert.False(dropped.IsCancellationRequested);
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
