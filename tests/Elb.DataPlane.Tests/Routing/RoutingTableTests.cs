using Elb.Commands.BackendServerGroups;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.Routing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Routing;

public class RoutingTableTests
{
    private static readonly LoadBalancerChange[] FirstThree =
        [Change(1, Created()), Change(2, PoolCreated()), Change(3, MemberAdded("10.0.0.1", weight: 4))];

    private static RoutingTable TableWith(params LoadBalancerChange[] changes)
    {
        var table = new RoutingTable();
        foreach (var change in changes) Assert.Equal(ChangeOutcome.Applied, table.Apply(change));
        return table;
    }

    [Fact]
    public void Events_applied_in_order_build_the_pool_route()
    {
        var table = TableWith(FirstThree);

        var route = table.Current.Pools[PoolId];
        Assert.Equal((LoadBalancerId, LbAlgorithm.RoundRobin), (route.LoadBalancerId, route.LbAlgorithm));
        Assert.Equal(("10.0.0.1", 80, 4), (route.Members[0].Address, route.Members[0].ProtocolPort, route.Members[0].Weight));
        Assert.Equal(3, table.Current.AppliedVersion(LoadBalancerId));
    }

    [Fact]
    public void A_redelivered_event_is_ignored()
    {
        var table = TableWith(FirstThree);

        Assert.Equal(ChangeOutcome.Duplicate, table.Apply(FirstThree[2]));
        Assert.Single(table.Current.Pools[PoolId].Members);
    }

    [Fact]
    public void An_event_past_a_missing_version_is_a_gap_and_changes_nothing()
    {
        var table = TableWith(FirstThree[0]);
        var before = table.Current;

        Assert.Equal(ChangeOutcome.Gap, table.Apply(FirstThree[2]));
        Assert.Same(before, table.Current);
    }

    [Fact]
    public void A_snapshot_replaces_an_older_state_and_later_events_continue_from_it()
    {
        var table = TableWith(FirstThree[0]);
        var snapshot = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1")) with { Version = 3 };

        Assert.True(table.Load(snapshot));
        Assert.Equal(ChangeOutcome.Applied, table.Apply(Change(4, MemberAdded("10.0.0.2"))));
        Assert.Equal(["10.0.0.1", "10.0.0.2"], table.Current.Pools[PoolId].Members.Select(m => m.Address));
    }

    [Fact]
    public void A_snapshot_older_than_what_was_applied_is_refused()
    {
        var table = TableWith(FirstThree[0], FirstThree[1]);

        Assert.False(table.Load(Evolve(Created()) with { Version = 1 }));
        Assert.True(table.Current.Pools.ContainsKey(PoolId));
    }

    [Fact]
    public void A_deleted_load_balancer_leaves_the_tables_and_its_old_events_cannot_bring_it_back()
    {
        var table = TableWith(Change(1, Created()), Change(2, PoolCreated()), Change(3, new BackendServerGroupDeleted(PoolId, Project, LoadBalancerId, Now)),
            Change(4, new LoadBalancerDeleted(LoadBalancerId, Project, Now)));

        Assert.Empty(table.Current.LoadBalancers);
        Assert.Empty(table.Current.Pools);
        Assert.Equal(ChangeOutcome.Duplicate, table.Apply(Change(1, Created())));
    }

    [Fact]
    public void Forgetting_a_load_balancer_the_control_plane_no_longer_has_drops_its_pools()
    {
        var table = TableWith(FirstThree);

        table.Forget(LoadBalancerId, 7);

        Assert.Empty(table.Current.Pools);
        Assert.Equal(7, table.Current.AppliedVersion(LoadBalancerId));
    }

    [Fact]
    public void A_change_to_one_pool_keeps_the_route_of_another_as_it_was()
    {
        var other = Guid.NewGuid();
        var table = TableWith([.. FirstThree, Change(4, PoolCreated(id: other))]);
        var route = table.Current.Pools[PoolId];

        Assert.Equal(ChangeOutcome.Applied, table.Apply(Change(5, MemberAdded("10.0.1.1", poolId: other))));

        Assert.Same(route, table.Current.Pools[PoolId]);
        Assert.Single(table.Current.Pools[other].Members);
    }
}
