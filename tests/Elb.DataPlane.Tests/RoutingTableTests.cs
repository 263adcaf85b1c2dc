using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.Tests;

public class RoutingTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid LoadBalancerId = Guid.NewGuid();
    private static readonly Guid PoolId = Guid.NewGuid();

    private static LoadBalancerChange Change(long version, ILoadBalancerEvent e) =>
        new(Guid.NewGuid(), LoadBalancerId, version, version, e.GetType().Name, Now, e);

    private static LoadBalancerChange Created() =>
        Change(1, new LoadBalancerCreated(LoadBalancerId, "p", "web", "vpc", ["az-1"], true, Now));

    private static LoadBalancerChange PoolCreated() =>
        Change(2, new BackendServerGroupCreated(PoolId, "p", LoadBalancerId, "pool", "HTTP", "ROUND_ROBIN", Now));

    private static LoadBalancerChange MemberAdded(long version, string address, int weight = 1) =>
        Change(version, new BackendServerAdded(Guid.NewGuid(), PoolId, "p", LoadBalancerId, address, 80, weight, Now));

    [Fact]
    public void Events_applied_in_order_build_the_pool_route()
    {
        var table = new RoutingTable();

        Assert.Equal(ChangeOutcome.Applied, table.Apply(Created()));
        Assert.Equal(ChangeOutcome.Applied, table.Apply(PoolCreated()));
        Assert.Equal(ChangeOutcome.Applied, table.Apply(MemberAdded(3, "10.0.0.1", weight: 4)));

        var route = table.Current.Pools[PoolId];
        Assert.Equal((LoadBalancerId, "ROUND_ROBIN"), (route.LoadBalancerId, route.LbAlgorithm));
        Assert.Equal(("10.0.0.1", 80, 4), (route.Members[0].Address, route.Members[0].ProtocolPort, route.Members[0].Weight));
        Assert.Equal(3, table.Current.AppliedVersion(LoadBalancerId));
    }

    [Fact]
    public void A_redelivered_event_is_ignored()
    {
        var table = new RoutingTable();
        var member = MemberAdded(3, "10.0.0.1");
        table.Apply(Created());
        table.Apply(PoolCreated());
        table.Apply(member);

        Assert.Equal(ChangeOutcome.Duplicate, table.Apply(member));
        Assert.Single(table.Current.Pools[PoolId].Members);
    }

    [Fact]
    public void An_event_past_a_missing_version_is_a_gap_and_changes_nothing()
    {
        var table = new RoutingTable();
        table.Apply(Created());
        var before = table.Current;

        Assert.Equal(ChangeOutcome.Gap, table.Apply(MemberAdded(3, "10.0.0.1")));
        Assert.Same(before, table.Current);
    }

    [Fact]
    public void A_snapshot_replaces_an_older_state_and_later_events_continue_from_it()
    {
        var table = new RoutingTable();
        table.Apply(Created());
        var snapshot = new[] { Created(), PoolCreated(), MemberAdded(3, "10.0.0.1") }
            .Aggregate((LoadBalancer?)null, (s, c) => LoadBalancerStream.Evolve(s, c.Event))! with { Version = 3 };

        Assert.True(table.Load(snapshot));
        Assert.Equal(ChangeOutcome.Applied, table.Apply(MemberAdded(4, "10.0.0.2")));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], table.Current.Pools[PoolId].Members.Select(m => m.Address));
    }

    [Fact]
    public void A_snapshot_older_than_what_was_applied_is_refused()
    {
        var table = new RoutingTable();
        table.Apply(Created());
        table.Apply(PoolCreated());
        var stale = LoadBalancerStream.Evolve(null, Created().Event)! with { Version = 1 };

        Assert.False(table.Load(stale));
        Assert.True(table.Current.Pools.ContainsKey(PoolId));
    }
}
