using System.Collections.Concurrent;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The node's live routing state beside its <see cref="RoutingTable"/>: one <see cref="PoolRuntime"/> per pool,
/// made on first use and remade when the pool's route changes, so a table rebuild never pays for algorithms.
/// </summary>
public sealed class RoutingRuntime(RoutingTable table, TimeProvider time, IRandomSource random)
{
    private readonly ConcurrentDictionary<Guid, PoolRuntime> _pools = new();
    private readonly ConcurrentDictionary<Guid, MemberCounters> _counters = new();
    private readonly ConcurrentDictionary<Guid, SessionAffinity> _affinities = new();

    public TimeProvider Time => time;

    public PoolRuntime? For(Guid poolId) =>
        table.Current.Pools.TryGetValue(poolId, out var route) ? For(route) : null;

    public PoolRuntime For(PoolRoute route)
    {
        if (_pools.TryGetValue(route.Id, out var runtime) && ReferenceEquals(runtime.Route, route)) return runtime;
        runtime = new PoolRuntime(route, CountersOf, AffinityOf(route), time, random);
        _pools[route.Id] = runtime;
        return runtime;
    }

    /// <summary>A runtime of its own for a what-if run: fresh counters and sticky table, nothing shared with traffic.</summary>
    public PoolRuntime Detached(PoolRoute route, IRandomSource detachedRandom) =>
        new(route, _ => new MemberCounters(),
            route.SessionPersistence is { } persistence ? new SessionAffinity(persistence, time) : null, time, detachedRandom);

    public MemberCounters CountersOf(Guid memberId) => _counters.GetOrAdd(memberId, _ => new MemberCounters());

    private SessionAffinity? AffinityOf(PoolRoute route)
    {
        if (route.SessionPersistence is not { } persistence)
        {
            _affinities.TryRemove(route.Id, out _);
            return null;
        }
        return _affinities.AddOrUpdate(route.Id, _ => new SessionAffinity(persistence, time),
            (_, existing) => existing.Persistence == persistence ? existing : new SessionAffinity(persistence, time));
    }
}
