using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Identity;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Quotas;

/// <summary>A project's quotas, named as ELB v3's <c>Quota</c>; -1 is unlimited.</summary>
public sealed record Quota(
    int Loadbalancer,
    int Listener,
    int Pool,
    int Healthmonitor,
    int Member,
    int MembersPerPool,
    int ListenersPerLoadbalancer)
{
    /// <summary>Elb's defaults: a team's worth of load balancers; the 492 members per load balancer hold regardless.</summary>
    public static readonly Quota Defaults = new(50, 200, 500, 500, 10_000, 492, 50);

    public const int Unlimited = -1;
}

/// <summary>What a project holds now, counted from the read models.</summary>
public sealed record ProjectUsage(int LoadBalancers, int Listeners, int Pools, int HealthMonitors, int Members);

/// <summary>Counts a project's resources; the read models that can are in Elb.Projections.</summary>
public interface IProjectUsage
{
    Task<ProjectUsage> OfAsync(IQuerySession session, string projectId, CancellationToken cancellation);
}

/// <summary>Changes a project's quotas (a system admin's call).</summary>
public sealed record QuotaChanged(string ProjectId, Quota Quota, DateTimeOffset ChangedAt);

public static class QuotaRules
{
    /// <summary>
    /// Whether the change these events make keeps the project within its quotas: project-wide counts from
    /// <paramref name="usage"/> (as it was before) plus what the events add, and per load balancer and pool from the
    /// state after them.
    /// </summary>
    public static RuleViolation? Check(Quota quota, ProjectUsage usage, IReadOnlyList<ILoadBalancerEvent> events, LoadBalancer? after)
    {
        int Added<T>() => events.Count(e => e is T);
        var exceeded = new (string Name, int Limit, int Count)[]
        {
            ("loadbalancer", quota.Loadbalancer, usage.LoadBalancers + Added<LoadBalancerCreated>()),
            ("listener", quota.Listener, usage.Listeners + Added<ListenerCreated>()),
            ("pool", quota.Pool, usage.Pools + Added<BackendServerGroupCreated>()),
            ("healthmonitor", quota.Healthmonitor, usage.HealthMonitors + Added<HealthMonitorCreated>()),
            ("member", quota.Member, usage.Members + Added<BackendServerAdded>()),
            ("listeners_per_loadbalancer", quota.ListenersPerLoadbalancer, after?.Listeners.Count ?? 0),
            ("members_per_pool", quota.MembersPerPool, after?.Pools.Select(p => p.Members.Count).DefaultIfEmpty(0).Max() ?? 0),
        }.FirstOrDefault(q => q.Limit != Quota.Unlimited && q.Count > q.Limit && Grows(q.Name, events));
        return exceeded.Name is null ? null : RuleViolation.Conflict("ELB.QuotaExceeded",
            $"The project's quota '{exceeded.Name}' is {exceeded.Limit}; this change would make it {exceeded.Count}.");
    }

    /// <summary>Only a change that adds to a count can exceed its quota (a lowered quota never refuses deletes or updates).</summary>
    private static bool Grows(string quota, IReadOnlyList<ILoadBalancerEvent> events) => quota switch
    {
        "loadbalancer" => events.Any(e => e is LoadBalancerCreated),
        "listener" or "listeners_per_loadbalancer" => events.Any(e => e is ListenerCreated),
        "pool" => events.Any(e => e is BackendServerGroupCreated),
        "healthmonitor" => events.Any(e => e is HealthMonitorCreated),
        _ => events.Any(e => e is BackendServerAdded),
    };

    public static bool Adds(IReadOnlyList<ILoadBalancerEvent> events) =>
        events.Any(e => e is LoadBalancerCreated or ListenerCreated or BackendServerGroupCreated or HealthMonitorCreated or BackendServerAdded);

    /// <summary>The project's quotas and usage, read only when a change adds something.</summary>
    public static async Task<RuleViolation?> CheckAsync(IDocumentSession session, IProjectUsage usage, string projectId,
        IReadOnlyList<ILoadBalancerEvent> events, LoadBalancer? after, CancellationToken cancellation)
    {
        if (!Adds(events)) return null;
        var project = await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation);
        return Check(project?.Quota ?? Quota.Defaults, await usage.OfAsync(session, projectId, cancellation), events, after);
    }
}
