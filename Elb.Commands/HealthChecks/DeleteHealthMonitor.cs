using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.HealthChecks;

public sealed record DeleteHealthMonitor(string ProjectId, Guid LoadBalancerId, Guid HealthMonitorId);

public sealed record HealthMonitorDeleted(
    Guid HealthMonitorId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    DateTimeOffset DeletedAt) : ILoadBalancerEvent;

public static class DeleteHealthMonitorRules
{
    public static Decision Decide(LoadBalancer? state, DeleteHealthMonitor command, DateTimeOffset now)
    {
        var pool = state.OwnedBy(command.ProjectId)?.Pools.FirstOrDefault(p => p.HealthMonitor?.Id == command.HealthMonitorId);
        if (pool is null) return RuleViolation.NotFound("HealthMonitor", command.HealthMonitorId);

        return Decision.Accept([new HealthMonitorDeleted(command.HealthMonitorId, pool.Id, state!.ProjectId, state.Id, now),
            ..HealthMonitorRules.PendingSlowStartsBeginWhenUnmonitored(state, pool, false, now)]);
    }
}

public static class DeleteHealthMonitorHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteHealthMonitor command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteHealthMonitorRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.HealthMonitorId);
}
