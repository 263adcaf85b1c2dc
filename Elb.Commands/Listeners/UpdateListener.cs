using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Listeners;

/// <param name="DefaultPoolId">Given as null, it clears the listener's default pool.</param>
public sealed record UpdateListener(
    string ProjectId,
    Guid LoadBalancerId,
    Guid ListenerId,
    string? Name,
    string? Description,
    Optional<Guid?> DefaultPoolId);

public sealed record ListenerUpdated(
    Guid ListenerId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Description,
    Guid? DefaultPoolId,
    DateTimeOffset UpdatedAt) : ILoadBalancerEvent;

public static class UpdateListenerRules
{
    public static Decision Decide(LoadBalancer? state, UpdateListener command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindListener(command.ListenerId) is not { } listener)
        {
            return RuleViolation.NotFound("Listener", command.ListenerId);
        }
        var defaultPoolId = command.DefaultPoolId.Or(listener.DefaultPoolId);
        if (ListenerRules.DefaultPoolFits(state!, listener.Protocol, defaultPoolId) is { } misfit) return misfit;

        var updated = new ListenerUpdated(listener.Id, state!.ProjectId, state.Id, command.Name ?? listener.Name,
            command.Description ?? listener.Description, defaultPoolId, now);
        var unchanged = (updated.Name, updated.Description, updated.DefaultPoolId) ==
                        (listener.Name, listener.Description, listener.DefaultPoolId);
        return unchanged ? Decision.Accept() : Decision.Accept(updated);
    }
}

public static class UpdateListenerHandler
{
    public static Task<CommandOutcome<Guid>> Handle(UpdateListener command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation) =>
        LoadBalancerStreamCommand.DecideAndAppend(session, command.LoadBalancerId, command.ListenerId,
            state => UpdateListenerRules.Decide(state, command, clock.GetUtcNow()), cancellation);
}
