using Wolverine.Marten;

namespace Elb.Commands.LoadBalancers;

public sealed record DeleteLoadBalancer(string ProjectId, Guid LoadBalancerId);

public sealed record LoadBalancerDeleted(Guid LoadBalancerId, string ProjectId, DateTimeOffset DeletedAt) : ILoadBalancerEvent;

public static class DeleteLoadBalancerRules
{
    public static Decision Decide(LoadBalancer? state, DeleteLoadBalancer command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer)
        {
            return RuleViolation.NotFound("LoadBalancer", command.LoadBalancerId);
        }
        if (loadBalancer.Listeners.Count > 0 || loadBalancer.Pools.Count > 0)
        {
            return RuleViolation.Conflict("ELB.LoadBalancerInUse",
                $"Load balancer {loadBalancer.Id} still has {loadBalancer.Listeners.Count} listener(s) and {loadBalancer.Pools.Count} pool(s); delete them first.");
        }
        return Decision.Accept(new LoadBalancerDeleted(loadBalancer.Id, loadBalancer.ProjectId, now));
    }
}

public static class DeleteLoadBalancerHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteLoadBalancer command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteLoadBalancerRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.LoadBalancerId);
}
