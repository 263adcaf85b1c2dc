using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServerGroups;

/// <summary>ELB v3's cascading delete of a pool: its members, its health monitor and the pool, all or none.</summary>
public sealed record DeleteBackendServerGroupCascade(string ProjectId, Guid LoadBalancerId, Guid PoolId);

public static class DeleteBackendServerGroupCascadeRules
{
    /// <summary>
    /// Each member is removed by the rule that removes one (refused while the pool's member deletion protection is
    /// on), then the pool by the rule that deletes one (refused while it is a listener's default pool).
    /// </summary>
    public static Decision Decide(LoadBalancer? state, DeleteBackendServerGroupCascade command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", command.PoolId);
        }
        return LoadBalancerStream.DecideInTurn(state!, [
            .. pool.Members.Select(member => (Func<LoadBalancer, Decision>)(s => RemoveBackendServerRules.Decide(s,
                new RemoveBackendServer(command.ProjectId, s.Id, pool.Id, member.Id), now))),
            s => DeleteBackendServerGroupRules.Decide(s, new DeleteBackendServerGroup(command.ProjectId, s.Id, pool.Id), now),
        ]);
    }
}

public static class DeleteBackendServerGroupCascadeHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(DeleteBackendServerGroupCascade command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        DeleteBackendServerGroupCascadeRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.PoolId);
}
