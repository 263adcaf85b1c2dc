using System.Collections.Concurrent;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The node's live routing state beside its <see cref="RoutingTable"/>: one <see cref="PoolRuntime"/> per pool,
/// made on first use and remade when the pool's route changes, so a table rebuild never pays for algorithms.
/// </summary>
public sealed class RoutingRuntime(RoutingTable table, LocalHealth health, TimeProvider time, IRandomSource random,
    StickyTableOptions? sticky = null)
{
    private readonly StickyTableOptions _sticky = sticky ?? new StickyTableOptions();

    /// <summary>A runtime is valid for one route of the table and one version of this node's own health verdicts.</summary>
    private sealed record Built(PoolRoute Source, long HealthVersion, PoolRuntime Runtime);

    private readonly ConcurrentDictionary<Guid, Built> _pools = new();
    private readonly ConcurrentDictionary<Guid, MemberCounters> _counters = new();
    private readonly ConcurrentDictionary<Guid, SessionAffinity> _affinities = new();

    public TimeProvider Time => time;

    /// <summary>The runtime of the pool a listener forwards to.</summary>
    public PoolRuntime? ForListener(Guid loadBalancerId, Guid listenerId)
    {
        if (!table.Current.LoadBalancers.TryGetValue(loadBalancerId, out var loadBalancer)) return null;
        return loadBalancer.FindListener(listenerId) is { } listener && loadBalancer.DefaultPoolOf(listener) is { } poolId
            ? For(poolId)
            : null;
    }

    public PoolRuntime? For(Guid poolId) =>
        table.Current.Pools.TryGetValue(poolId, out var route) ? For(route) : null;

    public PoolRuntime For(PoolRoute route)
    {
        var healthVersion = health.Version;
        if (_pools.TryGetValue(route.Id, out var built) && ReferenceEquals(built.Source, route) && built.HealthVersion == healthVersion)
        {
            return built.Runtime;
        }
        var runtime = new PoolRuntime(health.Apply(route), CountersOf, AffinityOf(route), time, random);
        _pools[route.Id] = new Built(route, healthVersion, runtime);
        return runtime;
    }

    /// <summary>A runtime of its own for a what-if run: fresh counters and sticky table, nothing shared with traffic.</summary>
    public PoolRuntime Detached(PoolRoute route, IRandomSource detachedRandom) =>
        new(route, _ => new MemberCounters(),
            route.SessionPersistence is { } persistence ? new SessionAffinity(persistence, time, _sticky) : null, time, detachedRandom);

    public MemberCounters CountersOf(Guid memberId) => _counters.GetOrAdd(memberId, _ => new MemberCounters());

    private SessionAffinity? AffinityOf(PoolRoute route)
    {
        if (route.SessionPersistence is not { } persistence)
        {
            _affinities.TryRemove(route.Id, out _);
            return null;
        }
        return _affinities.AddOrUpdate(route.Id, _ => new SessionAffinity(persistence, time, _sticky),
            (_, existing) => existing.Persistence == persistence ? existing : new SessionAffinity(persistence, time, _sticky));
    }

    /// <summary>Drops expired sticky ties, and the sticky tables of pools this node no longer routes.</summary>
    public void SweepAffinities()
    {
        var pools = table.Current.Pools;
        foreach (var (poolId, affinity) in _affinities)
        {
            if (pools.ContainsKey(poolId)) affinity.Sweep();
            else _affinities.TryRemove(KeyValuePair.Create(poolId, affinity));
        }
    }
}
