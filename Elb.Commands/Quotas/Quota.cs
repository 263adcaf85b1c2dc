using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Identity;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Marten;
using Marten.Services.BatchQuerying;

namespace Elb.Commands.Quotas;

/// <summary>A project's quotas, named as ELB v3's <c>Quota</c>; -1 is unlimited.</summary>
public sealed record Quota(
    int Loadbalancer,
    int Listener,
    int Pool,
    int Healthmonitor,
    int Member,
    int MembersPerPool,
    int ListenersPerLoadbalancer,
    int Certificate = Quota.DefaultCertificates)
{
    /// <summary>ELB v3's default; also what a quota recorded before certificates existed reads as.</summary>
    public const int DefaultCertificates = 120;

    /// <summary>Elb's defaults: a team's worth of load balancers; the 492 members per load balancer hold regardless.</summary>
    public static readonly Quota Defaults = new(50, 200, 500, 500, 10_000, 492, 50);

    public const int Unlimited = -1;
}

/// <summary>What a project holds now, counted from the read models.</summary>
public sealed record ProjectUsage(int LoadBalancers, int Listeners, int Pools, int HealthMonitors, int Members)
{
    public static readonly ProjectUsage Uncounted = new(0, 0, 0, 0, 0);
}

/// <summary>The kinds of resources a project's quotas count.</summary>
[Flags]
public enum CountedKinds
{
    None = 0,
    LoadBalancers = 1,
    Listeners = 2,
    Pools = 4,
    HealthMonitors = 8,
    Members = 16,
    All = LoadBalancers | Listeners | Pools | HealthMonitors | Members,
}

/// <summary>Counts a project's resources; the read models that can are in Elb.Projections.</summary>
public interface IProjectUsage
{
    /// <summary>Adds the counts to <paramref name="batch"/>, with whatever else its caller reads in the same round trip.</summary>
    /// <param name="kinds">What to count: a kind left out reads as 0 (a count is a scan of the project's resources).</param>
    /// <returns>The counts, once the batch has run.</returns>
    Task<ProjectUsage> CountIn(IBatchedQuery batch, string projectId, CountedKinds kinds = CountedKinds.All);
}

/// <summary>Changes a project's quotas (a system admin's call).</summary>
public sealed record QuotaChanged(string ProjectId, Quota Quota, DateTimeOffset ChangedAt);

public static class QuotaRules
{
    /// <summary>A project's quotas: as a system admin set them, or the defaults.</summary>
    public static Quota Of(Project? project) => project?.Quota ?? Quota.Defaults;

    /// <summary>
    /// Whether the change these events make keeps the project within its quotas: project-wide counts from
    /// <paramref name="usage"/> (as it was before) plus what the events add, and per load balancer and pool from the
    /// state after them. Only a quota the change adds to is checked, so a lowered quota never refuses deletes or updates.
    /// </summary>
    public static RuleViolation? Check(Quota quota, ProjectUsage usage, IReadOnlyList<ILoadBalancerEvent> events, LoadBalancer? after)
    {
        var added = Additions.Of(events);
        var exceeded = new (string Name, int Limit, int Count, int Adding)[]
        {
            ("loadbalancer", quota.Loadbalancer, usage.LoadBalancers + added.LoadBalancers, added.LoadBalancers),
            ("listener", quota.Listener, usage.Listeners + added.Listeners, added.Listeners),
            ("pool", quota.Pool, usage.Pools + added.Pools, added.Pools),
            ("healthmonitor", quota.Healthmonitor, usage.HealthMonitors + added.HealthMonitors, added.HealthMonitors),
            ("member", quota.Member, usage.Members + added.Members, added.Members),
            ("listeners_per_loadbalancer", quota.ListenersPerLoadbalancer, after?.Listeners.Count ?? 0, added.Listeners),
            ("members_per_pool", quota.MembersPerPool, after?.Pools.Select(p => p.Members.Count).DefaultIfEmpty(0).Max() ?? 0,
                added.Members),
        }.FirstOrDefault(q => q.Adding > 0 && q.Limit != Quota.Unlimited && q.Count > q.Limit);
        return exceeded.Name is null ? null : RuleViolation.Conflict("ELB.QuotaExceeded",
            $"The project's quota '{exceeded.Name}' is {exceeded.Limit}; this change would make it {exceeded.Count}.");
    }

    /// <summary>
    /// The project's usage, read only when the change adds something; <paramref name="quota"/> where the caller already
    /// holds the project, otherwise it is loaded in the same round trip as the counts (all the change could need).
    /// </summary>
    public static async Task<RuleViolation?> CheckAsync(IDocumentSession session, IProjectUsage usage, string projectId,
        IReadOnlyList<ILoadBalancerEvent> events, LoadBalancer? after, CancellationToken cancellation, Quota? quota = null)
    {
        var added = Additions.Of(events);
        if (!added.Any) return null;
        var counted = added.LimitedBy(quota);
        if (quota is not null && counted == CountedKinds.None) return Check(quota, ProjectUsage.Uncounted, events, after);
        var batch = session.CreateBatchQuery();
        var project = quota is null ? batch.Load<Project>(ProjectStream.Key(projectId)) : null;
        var used = usage.CountIn(batch, projectId, counted);
        await batch.Execute(cancellation);
        return Check(quota ?? Of(await project!), await used, events, after);
    }

    /// <summary>How many resources of each counted kind a change creates.</summary>
    private readonly record struct Additions(int LoadBalancers, int Listeners, int Pools, int HealthMonitors, int Members)
    {
        public bool Any => LoadBalancers + Listeners + Pools + HealthMonitors + Members > 0;

        /// <summary>
        /// The project-wide counts this change must be checked against: what it adds, where the quota has a limit (where
        /// the quota is not known yet, all it adds).
        /// </summary>
        public CountedKinds LimitedBy(Quota? quota) =>
            (LoadBalancers > 0 && quota?.Loadbalancer != Quota.Unlimited ? CountedKinds.LoadBalancers : 0)
            | (Listeners > 0 && quota?.Listener != Quota.Unlimited ? CountedKinds.Listeners : 0)
            | (Pools > 0 && quota?.Pool != Quota.Unlimited ? CountedKinds.Pools : 0)
            | (HealthMonitors > 0 && quota?.Healthmonitor != Quota.Unlimited ? CountedKinds.HealthMonitors : 0)
            | (Members > 0 && quota?.Member != Quota.Unlimited ? CountedKinds.Members : 0);

        public static Additions Of(IReadOnlyList<ILoadBalancerEvent> events) => new(
            events.Count(e => e is LoadBalancerCreated),
            events.Count(e => e is ListenerCreated),
            events.Count(e => e is BackendServerGroupCreated),
            events.Count(e => e is HealthMonitorCreated),
            events.Count(e => e is BackendServerAdded));
    }
}
