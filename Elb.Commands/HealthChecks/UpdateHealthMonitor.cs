using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.HealthChecks;

public sealed record UpdateHealthMonitor(string ProjectId, Guid LoadBalancerId, Guid HealthMonitorId, HealthMonitorInput Input);

public sealed record HealthMonitorUpdated(
    Guid HealthMonitorId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    int Delay,
    int Timeout,
    int MaxRetries,
    int MaxRetriesDown,
    string UrlPath,
    string ExpectedCodes,
    bool AdminStateUp,
    DateTimeOffset UpdatedAt) : IPoolEvent
{
    public HealthMonitor ToHealthMonitor(HealthMonitor current) => current with
    {
        Name = Name, Delay = Delay, Timeout = Timeout, MaxRetries = MaxRetries, MaxRetriesDown = MaxRetriesDown,
        UrlPath = UrlPath, ExpectedCodes = ExpectedCodes, AdminStateUp = AdminStateUp, UpdatedAt = UpdatedAt,
    };
}

public static class UpdateHealthMonitorRules
{
    public static Decision Decide(LoadBalancer? state, UpdateHealthMonitor command, DateTimeOffset now)
    {
        var pool = state.OwnedBy(command.ProjectId)?.Pools.FirstOrDefault(p => p.HealthMonitor?.Id == command.HealthMonitorId);
        if (pool?.HealthMonitor is not { } current) return RuleViolation.NotFound("HealthMonitor", command.HealthMonitorId);
        if (command.Input.Type is { } type && type != current.Type)
        {
            return RuleViolation.Invalid("ELB.HealthMonitorTypeImmutable",
                $"A health monitor's type cannot change ({current.Type} to {type}); delete it and create another.");
        }
        var (monitor, refused) = HealthMonitorRules.Settle(pool, command.Input, current, current.Id, now);
        if (refused is not null) return refused;

        return Decision.Accept([new HealthMonitorUpdated(current.Id, pool.Id, state!.ProjectId, state.Id, monitor!.Name,
            monitor.Delay, monitor.Timeout, monitor.MaxRetries, monitor.MaxRetriesDown, monitor.UrlPath,
            monitor.ExpectedCodes, monitor.AdminStateUp, now), ..HealthMonitorRules.PendingSlowStartsBeginWhenUnmonitored(
            state, pool, monitor.AdminStateUp, now)]);
    }
}

public static class UpdateHealthMonitorHandler
{
    public static Task<CommandOutcome<Guid>> Handle(UpdateHealthMonitor command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation) =>
        LoadBalancerStreamCommand.DecideAndAppend(session, command.LoadBalancerId, command.HealthMonitorId,
            state => UpdateHealthMonitorRules.Decide(state, command, clock.GetUtcNow()), cancellation);
}
