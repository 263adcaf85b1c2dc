using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;
using Wolverine.Marten;

namespace Elb.Commands.HealthChecks;

public sealed record CreateHealthMonitor(string ProjectId, Guid LoadBalancerId, HealthMonitorInput Input);

public sealed record HealthMonitorCreated(
    Guid HealthMonitorId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    HealthCheckSettings Settings,
    DateTimeOffset CreatedAt) : ILoadBalancerEvent;

public static class CreateHealthMonitorRules
{
    public static Decision Decide(LoadBalancer? state, CreateHealthMonitor command, Guid monitorId, DateTimeOffset now)
    {
        if (command.Input.PoolId is not { } poolId) return RuleViolation.MissingField("healthmonitor.pool_id");
        if (state.OwnedBy(command.ProjectId)?.FindPool(poolId) is not { } pool) return RuleViolation.NotFound("Pool", poolId);
        if (pool.HealthMonitor is { } existing)
        {
            return RuleViolation.Conflict("ELB.PoolHasHealthMonitor",
                $"Pool {pool.Id} already has health monitor {existing.Id}; a pool has at most one.");
        }
        var (settings, refused) = HealthMonitorRules.Settle(pool, command.Input, null);
        if (refused is not null) return refused;

        return Decision.Accept([new HealthMonitorCreated(monitorId, pool.Id, state!.ProjectId, state.Id, settings!, now),
            ..HealthMonitorRules.PendingSlowStartsBeginWhenUnmonitored(state, pool, settings!.AdminStateUp, now)]);
    }
}

public static class CreateHealthMonitorHandler
{
    public static Task<(CommandOutcome<Guid>, Events)> Handle(CreateHealthMonitor command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, IDocumentSession session,
        IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var monitorId = Guid.CreateVersion7();
        return CreateHealthMonitorRules.Decide(state, command, monitorId, clock.GetUtcNow())
            .OutcomeWithinQuotaAsync(state, monitorId, session, usage, cancellation);
    }
}
