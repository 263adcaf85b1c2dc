using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

/// <summary>ELB v3's cascading deletes, made of the single-resource rules: all of it in one append, or none.</summary>
public sealed class DeleteLoadBalancerCascadeTests
{
    private static readonly Guid SparePoolId = Guid.Parse("00000000-0000-0000-0000-0000000000b2");

    private static LoadBalancer Full(bool deletionProtection = false) => Evolve(Created(), ListenerCreated(),
        PoolCreated(deletionProtection: deletionProtection) with { ListenerId = ListenerId }, MonitorCreated(),
        MemberAdded("10.0.0.7"), MemberAdded("10.0.0.8"), PoolCreated(id: SparePoolId), ListenerCreated(port: 81, id: Guid.NewGuid()));

    [Fact]
    public void The_load_balancer_goes_with_its_listeners_members_monitor_and_pools_and_nothing_is_left()
    {
        var decision = DeleteLoadBalancerCascadeRules.Decide(Full(), new DeleteLoadBalancerCascade(Project, LoadBalancerId), Now);

        Assert.Null(decision.Violation);
        Assert.Equal(["ListenerDeleted", "ListenerDeleted", "BackendServerRemoved", "BackendServerRemoved", "HealthMonitorDeleted",
            "BackendServerGroupDeleted", "BackendServerGroupDeleted", "LoadBalancerDeleted"], decision.Events.Select(e => e.GetType().Name));
        Assert.Null(decision.Events.Aggregate((LoadBalancer?)Full(), LoadBalancerStream.Evolve));
    }

    [Fact]
    public void A_pool_protecting_its_members_refuses_the_whole_cascade()
    {
        var decision = DeleteLoadBalancerCascadeRules.Decide(Full(deletionProtection: true),
            new DeleteLoadBalancerCascade(Project, LoadBalancerId), Now);

        Assert.Equal("ELB.MemberDeletionProtected", decision.Violation?.ErrorCode);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Keeping_the_pools_is_refused_as_an_Elb_pool_belongs_to_its_load_balancer()
    {
        Assert.Equal("ELB.PoolsGoWithLoadBalancer", DeleteLoadBalancerCascadeRules.Decide(Full(),
            new DeleteLoadBalancerCascade(Project, LoadBalancerId, UnboundedPool: false), Now).Violation?.ErrorCode);
    }

    [Fact]
    public void Another_projects_load_balancer_is_not_found()
    {
        Assert.Equal("ELB.LoadBalancerNotFound", DeleteLoadBalancerCascadeRules.Decide(Full(),
            new DeleteLoadBalancerCascade("project-b", LoadBalancerId), Now).Violation?.ErrorCode);
    }

    [Fact]
    public void A_pool_cascade_removes_its_members_and_monitor_but_not_a_listeners_default_pool()
    {
        var state = Full();
        var cascade = DeleteBackendServerGroupCascadeRules.Decide(state, new DeleteBackendServerGroupCascade(Project, LoadBalancerId, PoolId), Now);
        var asDefault = DeleteBackendServerGroupCascadeRules.Decide(
            LoadBalancerStream.Evolve(state, new ListenerUpdated(ListenerId, Project, LoadBalancerId, "listener", "", PoolId, Now, null, [])),
            new DeleteBackendServerGroupCascade(Project, LoadBalancerId, PoolId), Now);

        Assert.Equal(["BackendServerRemoved", "BackendServerRemoved", "HealthMonitorDeleted", "BackendServerGroupDeleted"],
            cascade.Events.Select(e => e.GetType().Name));
        Assert.Equal("ELB.PoolInUse", asDefault.Violation?.ErrorCode);
    }

    [Fact]
    public void A_forced_listener_delete_leaves_its_pool_on_the_load_balancer_unbound()
    {
        var state = Full();
        var decision = ForceDeleteListenerRules.Decide(state, new ForceDeleteListener(Project, LoadBalancerId, ListenerId), Now);
        var after = decision.Events.Aggregate((LoadBalancer?)state, LoadBalancerStream.Evolve)!;

        Assert.Null(after.FindListener(ListenerId));
        Assert.Null(after.FindPool(PoolId)!.ListenerId);
        Assert.Equal(2, after.FindPool(PoolId)!.Members.Count);
    }
}
