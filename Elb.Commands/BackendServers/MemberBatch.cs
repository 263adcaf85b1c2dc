using Elb.Commands.LoadBalancers;

namespace Elb.Commands.BackendServers;

/// <summary>
/// What every batch of members shares (add, update, delete): at most <see cref="MaxBatch"/>, decided one after
/// another against the state the earlier ones leave, all accepted or none, a refusal naming its item.
/// </summary>
public static class MemberBatch
{
    public const int MaxBatch = 200;

    /// <summary>Checked by the endpoints before any lookup or lock, and again in the decision.</summary>
    public static RuleViolation? CountFits(int count) => count switch
    {
        0 => RuleViolation.MissingField("members"),
        > MaxBatch => RuleViolation.Invalid("ELB.BatchTooLarge", $"A batch takes at most {MaxBatch} members; this one has {count}."),
        _ => null,
    };

    public static Decision DecideEach<T>(LoadBalancer state, IReadOnlyList<T> items, Func<LoadBalancer, T, int, Decision> decideOne)
    {
        if (CountFits(items.Count) is { } refused) return refused;
        return LoadBalancerStream.DecideInTurn(state, items.Select((item, i) => (Func<LoadBalancer, Decision>)(current =>
        {
            var decision = decideOne(current, item, i);
            return decision.Violation is { } violation && items.Count > 1
                ? violation with { Message = $"members[{i}]: {violation.Message}" }
                : decision;
        })));
    }
}
