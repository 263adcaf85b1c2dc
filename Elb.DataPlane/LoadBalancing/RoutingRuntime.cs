using System.Collections.Concurrent;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The node's live routing state beside its <see cref="RoutingTable"/>: one <see cref="PoolRuntime"/> per pool, made on
/// first use and kept while the pool routes alike, so a table rebuild never pays for algorithms and a change elsewhere
/// (another pool of the load balancer, a health verdict on another pool's member) leaves this pool's round-robin
/// position, least-connections starting point and hash table as they were (YARP keeps its ClusterState alike).
/// </summary>
public sealed class RoutingRuntime(RoutingTable table, LocalHealth health, TimeProvider time, IRandomSource random,
    StickyTableOptions? sticky = null)
{
    private readonly StickyTableOptions _sticky = sticky ?? new StickyTableOptions();

    /// <summary>
    /// The runtime last found right for a route of the table at a version of this node's health verdicts: while both
    /// are these very ones, a lookup compares nothing else.
    /// </summary>
    private sealed record Built(PoolRoute Source, long HealthVersion, PoolRuntime Runtime);

    private readonly ConcurrentDictionary<Guid, Built> _pools = new();
    private readonly ConcurrentDictionary<Guid, MemberCounters> _counters = new();
    private readonly ConcurrentDictionary<Guid, SessionAffinity> _affinities = new();

    /// <summary>One runtime is built at a time, so a replaced one is never missed when disposing.</summary>
    private readonly Lock _building = new();

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
        if (_pools.TryGetValue(route.Id, out var built) && ReferenceEquals(built.Source, route) && built.HealthVersion == health.Version)
        {
            return built.Runtime;
        }
        lock (_building)
        {
            var healthVersion = health.Version;
            built = _pools.GetValueOrDefault(route.Id);
            if (built is not null && ReferenceEquals(built.Source, route) && built.HealthVersion == healthVersion) return built.Runtime;
            // The health version is the node's, the route may be a copy: only what this pool routes by decides.
            var effective = health.Apply(route);
            if (built is not null && built.Runtime.Route.Equals(effective))
            {
                _pools[route.Id] = new Built(route, healthVersion, built.Runtime);
                return built.Runtime;
            }
            var runtime = new PoolRuntime(effective, CountersOf, AffinityOf(route), time, random);
            _pools[route.Id] = new Built(route, healthVersion, runtime);
            built?.Runtime.Dispose();
            return runtime;
        }
    }

    /// <summary>
    /// A runtime of its own for a what-if run: fresh counters and sticky table, nothing shared with traffic. Dispose it
    /// after the run (a slow-start ramp runs a timer).
    /// </summary>
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

    /// <summary>Drops expired sticky ties, and the runtimes and sticky tables of pools this node no longer routes.</summary>
    public void Sweep()
    {
        var pools = table.Current.Pools;
        foreach (var (poolId, affinity) in _affinities)
        {
            if (pools.ContainsKey(poolId)) affinity.Sweep();
            else _affinities.TryRemove(KeyValuePair.Create(poolId, affinity));
        }
        lock (_building)
        {
            foreach (var (poolId, built) in _pools.Where(p => !pools.ContainsKey(p.Key)))
            {
                _pools.TryRemove(poolId, out _);
                built.Runtime.Dispose();
            }
        }
    }
}
