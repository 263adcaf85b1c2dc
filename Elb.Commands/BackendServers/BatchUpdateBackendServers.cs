using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServers;

/// <summary>One member's change in <c>POST .../members/batch-update</c>: its name and weight, as a single update.</summary>
public sealed record MemberChange(Guid? Id, string? Name, int? Weight);

/// <summary>ELB v3's batch update of a pool's members: at most 200, each by the single update's rules, all or none.</summary>
public sealed record BatchUpdateBackendServers(string ProjectId, Guid LoadBalancerId, Guid PoolId, IReadOnlyList<MemberChange> Members);

public static class BatchUpdateBackendServersRules
{
    public static Decision Decide(LoadBalancer? state, BatchUpdateBackendServers command, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is null) return RuleViolation.NotFound("Pool", command.PoolId);
        return MemberBatch.DecideEach(state!, command.Members, (current, change, _) => change.Id is not { } id
            ? RuleViolation.MissingField("member.id")
            : UpdateBackendServerRules.Decide(current,
                new UpdateBackendServer(command.ProjectId, command.LoadBalancerId, command.PoolId, id, change.Name, change.Weight), now));
    }
}

public static class BatchUpdateBackendServersHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(BatchUpdateBackendServers command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        BatchUpdateBackendServersRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.PoolId);
}
