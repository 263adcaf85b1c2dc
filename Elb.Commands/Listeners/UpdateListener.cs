using Elb.Commands.Certificates;
using Elb.Commands.LoadBalancers;
using Marten;
using Wolverine.Marten;

namespace Elb.Commands.Listeners;

/// <param name="DefaultPoolId">Given as null, it clears the listener's default pool; so for the default certificate.</param>
/// <param name="DefaultTlsContainerRef">
/// No default value: the OpenAPI document's schema exporter writes each parameter's default, and a struct's
/// <c>default</c> is recorded as null, which no <see cref="Optional{T}"/> can be written from.
/// </param>
/// <param name="SniContainerRefs">Given, it replaces the SNI certificates (<c>[]</c> removes them).</param>
public sealed record UpdateListener(
    string ProjectId,
    Guid LoadBalancerId,
    Guid ListenerId,
    string? Name,
    string? Description,
    Optional<Guid?> DefaultPoolId,
    Optional<Guid?> DefaultTlsContainerRef,
    IReadOnlyList<Guid>? SniContainerRefs = null);

public sealed record ListenerUpdated(
    Guid ListenerId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Description,
    Guid? DefaultPoolId,
    DateTimeOffset UpdatedAt,
    Guid? DefaultTlsContainerRef = null,
    IReadOnlyList<Guid>? SniContainerRefs = null) : ILoadBalancerEvent;

public static class UpdateListenerRules
{
    public static Decision Decide(LoadBalancer? state, UpdateListener command, IReadOnlyDictionary<Guid, Certificate> certificates,
        DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindListener(command.ListenerId) is not { } listener)
        {
            return RuleViolation.NotFound("Listener", command.ListenerId);
        }
        var defaultPoolId = command.DefaultPoolId.Or(listener.DefaultPoolId);
        if (ListenerRules.DefaultPoolFits(state!, listener.Protocol, defaultPoolId) is { } misfit) return misfit;
        var defaultTls = command.DefaultTlsContainerRef.Or(listener.DefaultTlsContainerRef);
        IReadOnlyList<Guid> sni = command.SniContainerRefs is { } given ? [.. given.Distinct()] : listener.SniContainerRefs;
        // What the update names is checked (and was locked); a listener keeps the certificates it already presents.
        if (ListenerRules.CertificatesFit(listener.Protocol, command.DefaultTlsContainerRef.Value, command.SniContainerRefs ?? [],
                certificates) is { } badTls)
        {
            return badTls;
        }

        var updated = new ListenerUpdated(listener.Id, state!.ProjectId, state.Id, command.Name ?? listener.Name,
            command.Description ?? listener.Description, defaultPoolId, now, defaultTls, sni);
        var unchanged = (updated.Name, updated.Description, updated.DefaultPoolId, updated.DefaultTlsContainerRef) ==
                        (listener.Name, listener.Description, listener.DefaultPoolId, listener.DefaultTlsContainerRef)
                        && sni.SequenceEqual(listener.SniContainerRefs);
        return unchanged ? Decision.Accept() : Decision.Accept(updated);
    }
}

public static class UpdateListenerHandler
{
    public static async Task<(CommandOutcome<Guid>, Events)> Handle(UpdateListener command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var certificates = await CertificateLocks.LockAsync(session, command.ProjectId,
            ListenerRules.CertificatesNamed(command.DefaultTlsContainerRef.Value, command.SniContainerRefs), cancellation);
        return UpdateListenerRules.Decide(state, command, certificates, clock.GetUtcNow()).Outcome(state, command.ListenerId);
    }
}
