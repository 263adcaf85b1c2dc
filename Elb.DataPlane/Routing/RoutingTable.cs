using System.Collections.Immutable;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;

namespace Elb.DataPlane.Routing;

/// <summary>
/// One pool as this node routes it: immutable configuration, replaced whole when anything in it changes (YARP's
/// config/state split: counters and sticky tables live in <see cref="PoolRuntime"/>). Equal when every field and
/// member is, so a change elsewhere in the load balancer can keep this very instance (see <see cref="RoutingState.With"/>).
/// </summary>
public sealed record PoolRoute(
    Guid Id,
    Guid LoadBalancerId,
    Protocol Protocol,
    LbAlgorithm LbAlgorithm,
    SessionPersistence? SessionPersistence,
    ImmutableArray<RouteMember> Members)
{
    public static PoolRoute From(LoadBalancer loadBalancer, Pool pool) => new(pool.Id, loadBalancer.Id, pool.Protocol,
        pool.LbAlgorithm, pool.SessionPersistence, [.. pool.Members.Select(RouteMember.From)]);

    // An ImmutableArray compares by reference: the members are compared one by one instead.
    public bool Equals(PoolRoute? other) => other is not null && Id == other.Id && LoadBalancerId == other.LoadBalancerId &&
        Protocol == other.Protocol && LbAlgorithm == other.LbAlgorithm && SessionPersistence == other.SessionPersistence &&
        Members.SequenceEqual(other.Members);

    public override int GetHashCode() => HashCode.Combine(Id, Members.Length);
}

/// <param name="SlowStartStartedAt">Set once slow start has begun; the ramp runs to <paramref name="SlowStartEndsAt"/>.</param>
public sealed record RouteMember(
    Guid Id,
    string Address,
    int ProtocolPort,
    int Weight,
    MemberOperatingStatus OperatingStatus,
    string? AvailabilityZone,
    DateTimeOffset? SlowStartStartedAt,
    DateTimeOffset? SlowStartEndsAt)
{
    public static RouteMember From(Member m) => new(m.Id, m.Address, m.ProtocolPort, m.Weight, m.OperatingStatus,
        m.AvailabilityZone, m.SlowStart.StartedAt, m.SlowStart.EndsAt);
}

/// <summary>
/// Everything a node routes by, at one instant. Readers take it whole and never see a half-applied change.
/// Applied versions outlive deleted load balancers, so a redelivered old event cannot bring one back.
/// </summary>
public sealed record RoutingState(
    ImmutableDictionary<Guid, LoadBalancer> LoadBalancers,
    ImmutableDictionary<Guid, PoolRoute> Pools,
    ImmutableDictionary<Guid, long> AppliedVersions)
{
    public static readonly RoutingState Empty = new(ImmutableDictionary<Guid, LoadBalancer>.Empty,
        ImmutableDictionary<Guid, PoolRoute>.Empty, ImmutableDictionary<Guid, long>.Empty);

    public long AppliedVersion(Guid loadBalancerId) => AppliedVersions.GetValueOrDefault(loadBalancerId);

    /// <summary>
    /// The state with this version of the load balancer. A pool whose route is unchanged keeps its very instance:
    /// that is how <see cref="RoutingRuntime"/> knows its runtime (round-robin position, hash table) still holds.
    /// </summary>
    public RoutingState With(LoadBalancer loadBalancer) => With([loadBalancer]);

    /// <summary>The state with these versions of the load balancers, built in one pass (a node's start takes thousands).</summary>
    public RoutingState With(IEnumerable<LoadBalancer> loadBalancers)
    {
        var nextLoadBalancers = LoadBalancers.ToBuilder();
        var nextPools = Pools.ToBuilder();
        var nextVersions = AppliedVersions.ToBuilder();
        foreach (var loadBalancer in loadBalancers)
        {
            if (nextLoadBalancers.TryGetValue(loadBalancer.Id, out var current))
            {
                nextPools.RemoveRange(current.Pools.Select(p => p.Id));
            }
            foreach (var pool in loadBalancer.Pools) nextPools[pool.Id] = Unchanged(PoolRoute.From(loadBalancer, pool));
            nextLoadBalancers[loadBalancer.Id] = loadBalancer;
            nextVersions[loadBalancer.Id] = loadBalancer.Version;
        }
        return new(nextLoadBalancers.ToImmutable(), nextPools.ToImmutable(), nextVersions.ToImmutable());
    }

    private PoolRoute Unchanged(PoolRoute route) =>
        Pools.TryGetValue(route.Id, out var current) && current.Equals(route) ? current : route;

    public RoutingState Without(Guid loadBalancerId, long version) =>
        new(LoadBalancers.Remove(loadBalancerId), WithoutPoolsOf(loadBalancerId),
            AppliedVersions.SetItem(loadBalancerId, version));

    private ImmutableDictionary<Guid, PoolRoute> WithoutPoolsOf(Guid loadBalancerId) =>
        Pools.RemoveRange(LoadBalancers.GetValueOrDefault(loadBalancerId)?.Pools.Select(p => p.Id) ?? []);
}

public enum ChangeOutcome { Applied, Duplicate, Gap }

/// <summary>One load balancer's state before and after a change (null where it did not exist).</summary>
public sealed record LoadBalancerChanged(LoadBalancer? Before, LoadBalancer? After);

/// <summary>
/// The node's routing tables. Changes are applied by one writer at a time in stream-version order and published by
/// swapping the whole <see cref="RoutingState"/>; reads are lock-free.
/// </summary>
public sealed class RoutingTable
{
    private readonly Lock _writer = new();
    private RoutingState _state = RoutingState.Empty;

    public RoutingState Current => Volatile.Read(ref _state);

    /// <summary>Raised after each new state is published (from the writer's thread; handlers must be quick).</summary>
    public event Action<LoadBalancerChanged>? Changed;

    /// <summary>Applies the next event of a stream; an older one is a duplicate, a later one reveals a gap.</summary>
    public ChangeOutcome Apply(LoadBalancerChange change)
    {
        lock (_writer)
        {
            var applied = _state.AppliedVersion(change.LoadBalancerId);
            if (change.Version <= applied) return ChangeOutcome.Duplicate;
            if (change.Version > applied + 1) return ChangeOutcome.Gap;

            var before = _state.LoadBalancers.GetValueOrDefault(change.LoadBalancerId);
            var next = LoadBalancerStream.Evolve(before, change.Event);
            Publish(next is null
                ? _state.Without(change.LoadBalancerId, change.Version)
                : _state.With(next with { Version = change.Version }), before, next is null ? null : next with { Version = change.Version });
            return ChangeOutcome.Applied;
        }
    }

    /// <summary>Takes a load balancer's state from the control plane unless this node has already applied as much.</summary>
    public bool Load(LoadBalancer snapshot)
    {
        lock (_writer)
        {
            if (snapshot.Version <= _state.AppliedVersion(snapshot.Id)) return false;
            Publish(_state.With(snapshot), _state.LoadBalancers.GetValueOrDefault(snapshot.Id), snapshot);
            return true;
        }
    }

    /// <summary>
    /// <see cref="Load"/> for many load balancers at once, as a node takes the control plane's whole state at start:
    /// one new state published instead of one per load balancer. Returns how many it took.
    /// </summary>
    public int LoadAll(IEnumerable<LoadBalancer> snapshots)
    {
        lock (_writer)
        {
            var newer = snapshots.Where(s => s.Version > _state.AppliedVersion(s.Id)).ToList();
            Publish(_state.With(newer), [.. newer.Select(s => new LoadBalancerChanged(_state.LoadBalancers.GetValueOrDefault(s.Id), s))]);
            return newer.Count;
        }
    }

    /// <summary>
    /// Takes the control plane's state of a load balancer also at the version this node has applied: its copy differs
    /// there (see <see cref="DigestReconciler"/>), and the control plane's is the truth. An older one is still refused.
    /// </summary>
    public bool Replace(LoadBalancer snapshot)
    {
        lock (_writer)
        {
            if (snapshot.Version < _state.AppliedVersion(snapshot.Id)) return false;
            Publish(_state.With(snapshot), _state.LoadBalancers.GetValueOrDefault(snapshot.Id), snapshot);
            return true;
        }
    }

    /// <summary>The control plane no longer has the load balancer: drop it, remembering how far its stream went.</summary>
    public void Forget(Guid loadBalancerId, long seenVersion)
    {
        lock (_writer)
        {
            Publish(_state.Without(loadBalancerId, Math.Max(seenVersion, _state.AppliedVersion(loadBalancerId))),
                _state.LoadBalancers.GetValueOrDefault(loadBalancerId), null);
        }
    }

    private void Publish(RoutingState next, LoadBalancer? before, LoadBalancer? after) =>
        Publish(next, [new LoadBalancerChanged(before, after)]);

    private void Publish(RoutingState next, IReadOnlyList<LoadBalancerChanged> changes)
    {
        Volatile.Write(ref _state, next);
        foreach (var change in changes) Changed?.Invoke(change);
    }
}
