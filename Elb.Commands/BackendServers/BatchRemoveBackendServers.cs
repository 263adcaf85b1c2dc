using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServers;

/// <summary>ELB v3's batch delete of a pool's members: at most 200, each by the single removal's rules, all or none.</summary>
public sealed record BatchRemoveBackendServers(string ProjectId, Guid LoadBalancerId, Guid PoolId, IReadOnlyList<Guid?> MemberIds);

public static class BatchRemoveBackendServersRules
{
    public static Decision Decide(LoadBalancer? state, BatchRemoveBackendServers command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is null) return RuleViolation.NotFound("Pool", command.PoolId);
        return MemberBatch.DecideEach(state!, command.MemberIds, (current, memberId, _) => memberId is not { } id
            ? RuleViolation.MissingField("member.id")
            : RemoveBackendServerRules.Decide(current,
                new RemoveBackendServer(command.ProjectId, command.LoadBalancerId, command.PoolId, id), now));
    }
}

public static class BatchRemoveBackendServersHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(BatchRemoveBackendServers command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        BatchRemoveBackendServersRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.PoolId);
}
