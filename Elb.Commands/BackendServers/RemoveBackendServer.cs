using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServers;

public sealed record RemoveBackendServer(string ProjectId, Guid LoadBalancerId, Guid PoolId, Guid MemberId);

public sealed record BackendServerRemoved(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    DateTimeOffset RemovedAt) : ILoadBalancerEvent;

public static class RemoveBackendServerRules
{
    public static Decision Decide(LoadBalancer? state, RemoveBackendServer command, DateTimeOffset now)
    {
        var pool = state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId);
        if (pool?.FindMember(command.MemberId) is not { } member) return RuleViolation.NotFound("Member", command.MemberId);
        if (pool.MemberDeletionProtectionEnable)
        {
            return RuleViolation.Conflict("ELB.MemberDeletionProtected",
                $"Pool {pool.Id} has member deletion protection enabled; turn it off to remove member {member.Id}.");
        }
        return Decision.Accept(new BackendServerRemoved(member.Id, pool.Id, state!.ProjectId, state.Id, now));
    }
}

public static class RemoveBackendServerHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(RemoveBackendServer command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        RemoveBackendServerRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.MemberId);
}
