using Elb.Commands.Quotas;
using Marten;
using Wolverine.Marten;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// What a command on a load balancer stream hands back to Wolverine's aggregate handler workflow, which loaded the
/// stream under its exclusive lock (<c>[WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)]</c>: concurrent
/// commands on one load balancer decide one after another against the latest state, so limits such as 492 members hold
/// under any concurrency) and appends the events in the same transaction: the answer, and the events to append, or
/// none with the rule the command would break.
/// </summary>
public static class LoadBalancerStreamCommand
{
    public static (CommandOutcome<T> Outcome, Events Events) Outcome<T>(this Decision decision, LoadBalancer? before, T value) =>
        decision.Violation is { } violation
            ? (CommandOutcome<T>.Refused(violation), [])
            : Accepted(decision, value, After(before, decision.Events));

    /// <summary>As <see cref="Outcome{T}"/>, for commands that add resources: the project's quotas are checked against what they add.</summary>
    public static async Task<(CommandOutcome<T> Outcome, Events Events)> OutcomeWithinQuotaAsync<T>(this Decision decision,
        LoadBalancer? before, T value, IDocumentSession session, IProjectUsage usage, CancellationToken cancellation)
    {
        if (decision.Violation is { } violation) return (CommandOutcome<T>.Refused(violation), []);
        var after = After(before, decision.Events);
        if (before is not null
            && await QuotaRules.CheckAsync(session, usage, before.ProjectId, decision.Events, after, cancellation) is { } overQuota)
        {
            return (CommandOutcome<T>.Refused(overQuota), []);
        }
        return Accepted(decision, value, after);
    }

    private static (CommandOutcome<T> Outcome, Events Events) Accepted<T>(Decision decision, T value, LoadBalancer? after) =>
        (new CommandOutcome<T>(value, null, decision.Warnings, after), [.. decision.Events]);

    /// <summary>The load balancer as the events leave it, at the stream version they take it to: what the answer is rendered from.</summary>
    private static LoadBalancer? After(LoadBalancer? before, IReadOnlyList<ILoadBalancerEvent> events) =>
        events.Aggregate(before, LoadBalancerStream.Evolve) is { } after && before is not null
            ? after with { Version = before.Version + events.Count }
            : null;

    /// <summary>A load balancer of another project is as invisible as one that does not exist.</summary>
    public static LoadBalancer? OwnedBy(this LoadBalancer? loadBalancer, string projectId) =>
        loadBalancer?.ProjectId == projectId ? loadBalancer : null;
}
