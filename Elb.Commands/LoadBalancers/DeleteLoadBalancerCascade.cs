using Elb.Commands.BackendServerGroups;
using Elb.Commands.Listeners;
using Wolverine.Marten;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// ELB v3's cascading delete: the load balancer with its listeners, pools, health monitors and members, all or none.
/// </summary>
/// <param name="UnboundedPool">ELB v3 may keep the pools, unbound; an Elb pool belongs to one load balancer, so it cannot.</param>
public sealed record DeleteLoadBalancerCascade(string ProjectId, Guid LoadBalancerId, bool UnboundedPool = true);

public static class DeleteLoadBalancerCascadeRules
{
    /// <summary>Made of the single-resource rules: every listener deleted by force, every pool by cascade, then the load balancer.</summary>
    public static Decision Decide(LoadBalancer? state, DeleteLoadBalancerCascade command, DateTimeOffset now)
    {
        if (!command.UnboundedPool)
        {
            return RuleViolation.Invalid("ELB.PoolsGoWithLoadBalancer",
                "An Elb pool belongs to one load balancer and is deleted with it: 'unbounded_pool' must be true (the default).");
        }
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer)
        {
            return RuleViolation.NotFound("LoadBalancer", command.LoadBalancerId);
        }
        return LoadBalancerStream.DecideInTurn(loadBalancer, [
            .. loadBalancer.Listeners.Select(listener => (Func<LoadBalancer, Decision>)(s => ForceDeleteListenerRules.Decide(s,
                new ForceDeleteListener(command.ProjectId, s.Id, listener.Id), now))),
            .. loadBalancer.Pools.Select(pool => (Func<LoadBalancer, Decision>)(s => DeleteBackendServerGroupCascadeRules.Decide(s,
                new DeleteBackendServerGroupCascade(command.ProjectId, s.Id, pool.Id), now))),
            s => DeleteLoadBalancerRules.Decide(s, new DeleteLoadBalancer(command.ProjectId, s.Id), now),
        ]);
    }
}

public static class DeleteLoadBalancerCascadeHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteLoadBalancerCascade command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteLoadBalancerCascadeRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.LoadBalancerId);
}
