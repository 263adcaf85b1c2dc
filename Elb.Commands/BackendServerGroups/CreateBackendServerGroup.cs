using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;
using Wolverine.Marten;
using System.Text.Json.Serialization;

namespace Elb.Commands.BackendServerGroups;

public sealed record CreateBackendServerGroup(
    string ProjectId,
    Guid? LoadBalancerId,
    Guid? ListenerId,
    string? Name,
    string? Description,
    string? Protocol,
    string? LbAlgorithm,
    string? Type,
    SessionPersistenceInput? SessionPersistence,
    SlowStartInput? SlowStart,
    bool? MemberDeletionProtectionEnable,
    ConnectionDrainInput? ConnectionDrain = null)
{
    /// <summary>The stream the command decides on (the endpoint refuses a body without a load balancer first).</summary>
    [JsonIgnore]
    public Guid StreamId => LoadBalancerId ?? Guid.Empty;
}

public sealed record BackendServerGroupCreated(
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    Guid? ListenerId,
    string Name,
    string Description,
    Protocol Protocol,
    LbAlgorithm LbAlgorithm,
    string Type,
    SessionPersistence? SessionPersistence,
    SlowStartSettings SlowStart,
    bool MemberDeletionProtectionEnable,
    DateTimeOffset CreatedAt,
    ConnectionDrain? ConnectionDrain = null) : ILoadBalancerEvent;

public static class CreateBackendServerGroupRules
{
    /// <summary>Checked by the endpoint before the command runs too: without a load balancer there is no stream to lock.</summary>
    public static RuleViolation? LoadBalancerMissing(CreateBackendServerGroup command) => command.LoadBalancerId is null
        ? RuleViolation.Invalid("ELB.MissingField", "A pool needs 'pool.loadbalancer_id' or 'pool.listener_id'.")
        : null;

    public static Decision Decide(LoadBalancer? state, CreateBackendServerGroup command, Guid poolId,
        DateTimeOffset now)
    {
        if (LoadBalancerMissing(command) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(command.Protocol)) return RuleViolation.MissingField("pool.protocol");
        if (string.IsNullOrWhiteSpace(command.LbAlgorithm)) return RuleViolation.MissingField("pool.lb_algorithm");
        if (ProtocolRules.Known("Pool protocol", command.Protocol, out var protocol) is { } unknownProtocol) return unknownProtocol;
        if (PoolSettingsRules.KnownAlgorithm(command.LbAlgorithm, out var algorithm) is { } unknownAlgorithm) return unknownAlgorithm;
        var type = command.Type ?? "";
        if (!PoolSettingsRules.Types.Contains(type))
        {
            return RuleViolation.Invalid("ELB.UnsupportedPoolType", $"Pool type '{type}' is not one of instance, ip or \"\".");
        }
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer) return RuleViolation.NotFound("LoadBalancer", command.LoadBalancerId!);
        if (command.ListenerId is { } listenerId)
        {
            if (loadBalancer.FindListener(listenerId) is not { } listener)
            {
                return RuleViolation.Conflict("ELB.ListenerNotInLoadBalancer",
                    $"Listener {listenerId} is not a listener of load balancer {loadBalancer.Id}.");
            }
            if (ProtocolRules.ListenerCanForwardTo(listener.Protocol, protocol) is { } mismatch) return mismatch;
        }
        var (slowStart, slowStartRefused) = PoolSettingsRules.SlowStart(loadBalancer, protocol, algorithm, command.SlowStart,
            SlowStartSettings.Disabled);
        if (slowStartRefused is not null) return slowStartRefused;
        var (stickiness, stickinessRefused) = PoolSettingsRules.Stickiness(protocol, command.SessionPersistence);
        if (stickinessRefused is not null) return stickinessRefused;
        var (drain, drainRefused) = PoolSettingsRules.Drain(protocol, command.ConnectionDrain, ConnectionDrain.Disabled);
        if (drainRefused is not null) return drainRefused;

        return Decision.Accept([new BackendServerGroupCreated(poolId, loadBalancer.ProjectId, loadBalancer.Id,
                command.ListenerId, command.Name ?? "", command.Description ?? "", protocol, algorithm,
                type, stickiness, slowStart!, command.MemberDeletionProtectionEnable ?? false, now, drain)],
            stickiness is null ? [] : [PoolSettingsRules.StickySessionWarning]);
    }
}

public static class CreateBackendServerGroupHandler
{
    public static Task<(CommandOutcome<Guid>, Events)> Handle(CreateBackendServerGroup command,
        [WriteAggregate(nameof(CreateBackendServerGroup.StreamId), LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state,
        IDocumentSession session, IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var poolId = Guid.CreateVersion7();
        return CreateBackendServerGroupRules.Decide(state, command, poolId, clock.GetUtcNow())
            .OutcomeWithinQuotaAsync(state, poolId, session, usage, cancellation);
    }
}
