using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.Listeners;

/// <summary>ELB v3's forced delete: the listener goes, and the pools bound to it stay on the load balancer, unbound.</summary>
public sealed record ForceDeleteListener(string ProjectId, Guid LoadBalancerId, Guid ListenerId);

public static class ForceDeleteListenerRules
{
    public static Decision Decide(LoadBalancer? state, ForceDeleteListener command, DateTimeOffset now) =>
        state.OwnedBy(command.ProjectId)?.FindListener(command.ListenerId) is { } listener
            ? Decision.Accept(new ListenerDeleted(listener.Id, state!.ProjectId, state.Id, now))
            : RuleViolation.NotFound("Listener", command.ListenerId);
}

public static class ForceDeleteListenerHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(ForceDeleteListener command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        ForceDeleteListenerRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.ListenerId);
}
