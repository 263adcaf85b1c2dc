using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.Listeners;

public sealed record DeleteListener(string ProjectId, Guid LoadBalancerId, Guid ListenerId);

public sealed record ListenerDeleted(Guid ListenerId, string ProjectId, Guid LoadBalancerId, DateTimeOffset DeletedAt)
    : ILoadBalancerEvent;

public static class DeleteListenerRules
{
    public static Decision Decide(LoadBalancer? state, DeleteListener command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindListener(command.ListenerId) is not { } listener)
        {
            return RuleViolation.NotFound("Listener", command.ListenerId);
        }
        if (listener.DefaultPoolId is { } defaultPool)
        {
            return RuleViolation.Conflict("ELB.ListenerInUse",
                $"Listener {listener.Id} still forwards to default pool {defaultPool}; clear default_pool_id first.");
        }
        if (state!.Pools.FirstOrDefault(p => p.ListenerId == listener.Id) is { } pool)
        {
            return RuleViolation.Conflict("ELB.ListenerInUse",
                $"Pool {pool.Id} is associated with listener {listener.Id}; delete the pool first.");
        }
        return Decision.Accept(new ListenerDeleted(listener.Id, state.ProjectId, state.Id, now));
    }
}

public static class DeleteListenerHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteListener command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteListenerRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.ListenerId);
}
