using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Projections.BackendServerGroups;
using Elb.Projections.BackendServers;
using Elb.Projections.Listeners;
using Elb.Projections.LoadBalancers;
using Marten;

namespace Elb.Gateway.History;

public sealed record PoolAsOf(PoolResource Pool, IReadOnlyList<MemberResource> Members);

/// <summary>A load balancer with everything in it, as it was at one version or time, rebuilt from its events.</summary>
public sealed record LoadBalancerAsOf(
    long Version,
    DateTimeOffset AsOf,
    LoadBalancerResource LoadBalancer,
    IReadOnlyList<ListenerResource> Listeners,
    IReadOnlyList<PoolAsOf> Pools);

public static class TimeTravel
{
    /// <summary>
    /// Replays the stream up to <paramref name="version"/> or <paramref name="asOf"/> (not the current read model),
    /// or null when the load balancer did not exist then (or is not this project's).
    /// </summary>
    public static async Task<LoadBalancerAsOf?> LoadAsync(ResourceLocations locations, IQuerySession session, string projectId, Guid loadBalancerId,
        long? version, DateTimeOffset? asOf, CancellationToken cancellation)
    {
        if (!await HistoryEndpoints.BelongsToAsync(locations, session, projectId, loadBalancerId, cancellation)) return null;
        var state = await session.Events.AggregateStreamAsync<LoadBalancer>(loadBalancerId, version ?? 0, asOf, token: cancellation);
        if (state is null) return null;
        var at = asOf ?? state.UpdatedAt;
        return new LoadBalancerAsOf(state.Version, at, LoadBalancerResource.From(state),
            [.. state.Listeners.Select(l => ListenerResource.From(state, l))],
            [.. state.Pools.Select(p => new PoolAsOf(PoolResource.From(state, p), [.. p.Members.Select(m => MemberResource.From(state, p, m, at))]))]);
    }

    public static IResult NotThen(string resource, Guid id, long? version, DateTimeOffset? asOf) =>
        new RuleViolation($"ELB.{resource}NotFound",
            $"{resource} {id} did not exist {(version is { } v ? $"at version {v}" : $"at {asOf:O}")}.", 404).ToProblem();
}
