using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServerGroups;

public sealed record DeleteBackendServerGroup(string ProjectId, Guid LoadBalancerId, Guid PoolId);

public sealed record BackendServerGroupDeleted(Guid PoolId, string ProjectId, Guid LoadBalancerId, DateTimeOffset DeletedAt)
    : ILoadBalancerEvent;

public static class DeleteBackendServerGroupRules
{
    /// <summary>Refused while the pool has members or is a listener's default pool; its health monitor goes with it.</summary>
    public static Decision Decide(LoadBalancer? state, DeleteBackendServerGroup command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", command.PoolId);
        }
        if (pool.Members.Count > 0)
        {
            return RuleViolation.Conflict("ELB.PoolInUse",
                $"Pool {pool.Id} still has {pool.Members.Count} member(s); remove them first.");
        }
        if (state!.Listeners.FirstOrDefault(l => l.DefaultPoolId == pool.Id) is { } listener)
        {
            return RuleViolation.Conflict("ELB.PoolInUse",
                $"Pool {pool.Id} is the default pool of listener {listener.Id}; change the listener first.");
        }
        var monitorGoes = pool.HealthMonitor is { } monitor
            ? new ILoadBalancerEvent[] { new HealthMonitorDeleted(monitor.Id, pool.Id, state.ProjectId, state.Id, now) }
            : [];
        return Decision.Accept([.. monitorGoes, new BackendServerGroupDeleted(pool.Id, state.ProjectId, state.Id, now)]);
    }
}

public static class DeleteBackendServerGroupHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteBackendServerGroup command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteBackendServerGroupRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.PoolId);
}
