using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.BackendServers;

public sealed record UpdateBackendServer(string ProjectId, Guid LoadBalancerId, Guid PoolId, Guid MemberId, string? Name, int? Weight);

public sealed record BackendServerUpdated(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    int Weight,
    DateTimeOffset UpdatedAt) : ILoadBalancerEvent;

public static class UpdateBackendServerRules
{
    /// <summary>Name and weight only; a weight change never restarts slow start (rule 11).</summary>
    public static Decision Decide(LoadBalancer? state, UpdateBackendServer command, DateTimeOffset now)
    {
        var pool = state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId);
        if (pool?.FindMember(command.MemberId) is not { } member) return RuleViolation.NotFound("Member", command.MemberId);
        var weight = command.Weight ?? member.Weight;
        if (weight is < 0 or > AddBackendServersRules.MaxWeight)
        {
            return RuleViolation.Invalid("ELB.InvalidWeight", $"Member weight {weight} is outside 0-{AddBackendServersRules.MaxWeight}.");
        }
        var name = command.Name ?? member.Name;
        return (name, weight) == (member.Name, member.Weight)
            ? Decision.Accept()
            : Decision.Accept(new BackendServerUpdated(member.Id, pool.Id, state!.ProjectId, state.Id, name, weight, now));
    }
}

public static class UpdateBackendServerHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(UpdateBackendServer command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        UpdateBackendServerRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.MemberId);
}
