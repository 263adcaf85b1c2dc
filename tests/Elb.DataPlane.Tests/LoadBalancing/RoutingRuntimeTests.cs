using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Microsoft.Extensions.Time.Testing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.LoadBalancing;

/// <summary>A pool's runtime, and so its algorithm's position, lives as long as the pool routes alike.</summary>
public class RoutingRuntimeTests
{
    private static readonly Guid OtherPoolId = Guid.Parse("00000000-0000-0000-0000-0000000000b2");
    private static readonly Guid OtherMemberId = Guid.Parse("00000000-0000-0000-0000-0000000000c2");

    /// <summary>nginx's smooth order for weights 5, 1, 1.</summary>
    private static readonly int[] Smooth = [0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0];

    private static readonly ILoadBalancerEvent[] TwoPools =
    [
        Created(), PoolCreated(), MemberAdded("10.0.0.1", weight: 5), MemberAdded("10.0.0.2"), MemberAdded("10.0.0.3"),
        PoolCreated(id: OtherPoolId), MemberAdded("10.0.1.1", poolId: OtherPoolId, id: OtherMemberId),
    ];

    private static (RoutingTable Table, LocalHealth Health, RoutingRuntime Runtime) Node()
    {
        var table = new RoutingTable();
        var version = 0;
        foreach (var e in TwoPools) Assert.Equal(ChangeOutcome.Applied, table.Apply(Change(++version, e)));
        var health = new LocalHealth();
        return (table, health, new RoutingRuntime(table, health, new FakeTimeProvider(Now), new ScriptedRandom(0)));
    }

    private static int[] Picks(RoutingRuntime runtime, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => runtime.For(PoolId)!.Choose(new ClientRequest(null)))];

    [Fact]
    public void The_smooth_round_robin_sequence_continues_when_another_pool_of_the_load_balancer_changes()
    {
        var (table, _, runtime) = Node();
        var before = Picks(runtime, 5);

        Assert.Equal(ChangeOutcome.Applied, table.Apply(Change(TwoPools.Length + 1,
            new BackendServerUpdated(OtherMemberId, OtherPoolId, Project, LoadBalancerId, "", 9, Now))));

        Assert.Equal(Smooth, before.Concat(Picks(runtime, 9)));
    }

    [Fact]
    public void The_smooth_round_robin_sequence_continues_when_a_member_of_another_pool_changes_health()
    {
        var (_, health, runtime) = Node();
        var before = Picks(runtime, 5);

        health.Set(OtherMemberId, MemberOperatingStatus.Offline);

        Assert.Equal(Smooth, before.Concat(Picks(runtime, 9)));
    }

    [Fact]
    public void A_health_verdict_on_the_pools_own_member_takes_effect_at_once()
    {
        var (table, health, runtime) = Node();
        Picks(runtime, 5);

        health.Set(table.Current.Pools[PoolId].Members[1].Id, MemberOperatingStatus.Offline);

        Assert.DoesNotContain(1, Picks(runtime, 14));
    }

    [Fact]
    public void A_change_to_the_pool_itself_takes_effect_at_once()
    {
        var (table, _, runtime) = Node();
        Picks(runtime, 5);
        var member = table.Current.Pools[PoolId].Members[0].Id;

        table.Apply(Change(TwoPools.Length + 1, new BackendServerUpdated(member, PoolId, Project, LoadBalancerId, "", 0, Now)));

        Assert.DoesNotContain(0, Picks(runtime, 14));
    }
}
