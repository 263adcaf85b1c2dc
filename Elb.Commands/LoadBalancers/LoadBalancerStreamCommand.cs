using Elb.Commands.Quotas;
using Marten;

namespace Elb.Commands.LoadBalancers;

/// <summary>The one way a command changes a load balancer: lock its stream, decide, append or refuse.</summary>
public static class LoadBalancerStreamCommand
{
    /// <summary>
    /// Takes the stream's row lock for the rest of the transaction, so concurrent commands on one load balancer
    /// decide one after another against the latest state: limits such as 492 members hold under any concurrency.
    /// </summary>
    /// <remarks>Without a load balancer id there is no stream to lock: the decision, given no state, says what is missing.</remarks>
    /// <param name="usage">For commands that add resources: the project's quotas are checked against what they add.</param>
    public static async Task<CommandOutcome<Guid>> DecideAndAppend(IDocumentSession session, Guid? loadBalancerId,
        Guid resourceId, Func<LoadBalancer?, Decision> decide, CancellationToken cancellation, IProjectUsage? usage = null)
    {
        if (loadBalancerId is not { } id)
        {
            return CommandOutcome<Guid>.Refused(decide(null).Violation
                ?? throw new InvalidOperationException("A decision without a load balancer must refuse."));
        }
        var stream = await session.Events.FetchForExclusiveWriting<LoadBalancer>(id, cancellation);
        var decision = decide(stream.Aggregate);
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);
        if (usage is not null && stream.Aggregate is { } before
            && await QuotaRules.CheckAsync(session, usage, before.ProjectId, decision.Events,
                decision.Events.Aggregate(before, (s, e) => LoadBalancerStream.Evolve(s, e)!), cancellation) is { } overQuota)
        {
            return CommandOutcome<Guid>.Refused(overQuota);
        }

        stream.AppendMany(decision.Events);
        return new CommandOutcome<Guid>(resourceId, null, decision.Warnings);
    }

    /// <summary>A load balancer of another project is as invisible as one that does not exist.</summary>
    public static LoadBalancer? OwnedBy(this LoadBalancer? loadBalancer, string projectId) =>
        loadBalancer?.ProjectId == projectId ? loadBalancer : null;
}
