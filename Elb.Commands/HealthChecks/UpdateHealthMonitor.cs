using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.HealthChecks;

public sealed record UpdateHealthMonitor(string ProjectId, Guid LoadBalancerId, Guid HealthMonitorId, HealthMonitorInput Input);

/// <summary>The monitor's settings after the update, whole.</summary>
public sealed record HealthMonitorUpdated(
    Guid HealthMonitorId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    HealthCheckSettings Settings,
    DateTimeOffset UpdatedAt) : ILoadBalancerEvent;

public static class UpdateHealthMonitorRules
{
    public static Decision Decide(LoadBalancer? state, UpdateHealthMonitor command, DateTimeOffset now)
    {
        var pool = state.OwnedBy(command.ProjectId)?.Pools.FirstOrDefault(p => p.HealthMonitor?.Id == command.HealthMonitorId);
        if (pool?.HealthMonitor is not { } current) return RuleViolation.NotFound("HealthMonitor", command.HealthMonitorId);
        if (command.Input.Type is { } type && type != current.Settings.Type.WireName())
        {
            return RuleViolation.Invalid("ELB.HealthMonitorTypeImmutable",
                $"A health monitor's type cannot change ({current.Settings.Type.WireName()} to {type}); delete it and create another.");
        }
        var (settings, refused) = HealthMonitorRules.Settle(pool, command.Input, current.Settings);
        if (refused is not null) return refused;

        return Decision.Accept([new HealthMonitorUpdated(current.Id, pool.Id, state!.ProjectId, state.Id, settings!, now),
            ..HealthMonitorRules.PendingSlowStartsBeginWhenUnmonitored(state, pool, settings!.AdminStateUp, now)]);
    }
}

public static class UpdateHealthMonitorHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(UpdateHealthMonitor command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        UpdateHealthMonitorRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.HealthMonitorId);
}
