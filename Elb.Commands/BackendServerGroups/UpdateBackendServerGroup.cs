using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServerGroups;

/// <param name="SessionPersistence">Given as null, it turns sticky sessions off.</param>
public sealed record UpdateBackendServerGroup(
    string ProjectId,
    Guid LoadBalancerId,
    Guid PoolId,
    string? Name,
    string? Description,
    string? LbAlgorithm,
    Optional<SessionPersistenceInput?> SessionPersistence,
    SlowStartInput? SlowStart,
    bool? MemberDeletionProtectionEnable,
    ConnectionDrainInput? ConnectionDrain = null);

/// <summary>The pool's changeable settings after the update, whole.</summary>
public sealed record BackendServerGroupUpdated(
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Description,
    LbAlgorithm LbAlgorithm,
    SessionPersistence? SessionPersistence,
    SlowStartSettings SlowStart,
    bool MemberDeletionProtectionEnable,
    DateTimeOffset UpdatedAt,
    ConnectionDrain? ConnectionDrain = null) : ILoadBalancerEvent;

public static class UpdateBackendServerGroupRules
{
    public static Decision Decide(LoadBalancer? state, UpdateBackendServerGroup command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", command.PoolId);
        }
        var algorithm = pool.LbAlgorithm;
        if (command.LbAlgorithm is { } named && PoolSettingsRules.KnownAlgorithm(named, out algorithm) is { } unknown) return unknown;
        var keepsSlowStart = pool.SlowStart.Enable && command.SlowStart?.Enable != false;
        if (keepsSlowStart && algorithm != pool.LbAlgorithm)
        {
            return RuleViolation.Conflict("ELB.SlowStartNeedsRoundRobin",
                $"Pool {pool.Id} has slow start enabled, so its algorithm cannot change from {pool.LbAlgorithm.WireName()} to {algorithm.WireName()}; disable slow start first.");
        }
        var (slowStart, slowStartRefused) = PoolSettingsRules.SlowStart(state!, pool.Protocol, algorithm,
            command.SlowStart, pool.SlowStart);
        if (slowStartRefused is not null) return slowStartRefused;
        var (stickiness, stickinessRefused) = command.SessionPersistence.IsGiven
            ? PoolSettingsRules.Stickiness(pool.Protocol, command.SessionPersistence.Value)
            : (pool.SessionPersistence, null);
        if (stickinessRefused is not null) return stickinessRefused;
        var (drain, drainRefused) = PoolSettingsRules.Drain(pool.Protocol, command.ConnectionDrain, pool.ConnectionDrain);
        if (drainRefused is not null) return drainRefused;

        var updated = new BackendServerGroupUpdated(pool.Id, state!.ProjectId, state.Id, command.Name ?? pool.Name,
            command.Description ?? pool.Description, algorithm, stickiness, slowStart!,
            command.MemberDeletionProtectionEnable ?? pool.MemberDeletionProtectionEnable, now, drain);
        var warnings = stickiness is not null && pool.SessionPersistence is null ? [PoolSettingsRules.StickySessionWarning] : Array.Empty<string>();
        return Decision.Accept([updated], warnings);
    }
}

public static class UpdateBackendServerGroupHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(UpdateBackendServerGroup command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        UpdateBackendServerGroupRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.PoolId);
}
