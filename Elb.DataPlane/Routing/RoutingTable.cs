using System.Collections.Immutable;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;

namespace Elb.DataPlane.Routing;

/// <summary>One pool as this node routes it: an immutable snapshot, replaced whole when anything in it changes.</summary>
public sealed record PoolRoute(
    Guid Id,
    Guid LoadBalancerId,
    string Protocol,
    string LbAlgorithm,
    ImmutableArray<RouteMember> Members)
{
    public static PoolRoute From(LoadBalancer loadBalancer, Pool pool) => new(pool.Id, loadBalancer.Id, pool.Protocol,
        pool.LbAlgorithm, [.. pool.Members.Select(m => new RouteMember(m.Id, m.Address, m.ProtocolPort, m.Weight))]);
}

public sealed record RouteMember(Guid Id, string Address, int ProtocolPort, int Weight);

/// <summary>Everything a node routes by, at one instant. Readers take it whole and never see a half-applied change.</summary>
public sealed record RoutingState(
    ImmutableDictionary<Guid, LoadBalancer> LoadBalancers,
    ImmutableDictionary<Guid, PoolRoute> Pools)
{
    public static readonly RoutingState Empty = new(ImmutableDictionary<Guid, LoadBalancer>.Empty,
        ImmutableDictionary<Guid, PoolRoute>.Empty);

    public long AppliedVersion(Guid loadBalancerId) => LoadBalancers.GetValueOrDefault(loadBalancerId)?.Version ?? 0;

    public RoutingState With(LoadBalancer loadBalancer)
    {
        var previous = LoadBalancers.GetValueOrDefault(loadBalancer.Id);
        var pools = Pools.RemoveRange(previous?.Pools.Select(p => p.Id) ?? [])
            .SetItems(loadBalancer.Pools.Select(p => KeyValuePair.Create(p.Id, PoolRoute.From(loadBalancer, p))));
        return new RoutingState(LoadBalancers.SetItem(loadBalancer.Id, loadBalancer), pools);
    }
}

public enum ChangeOutcome { Applied, Duplicate, Gap }

/// <summary>
/// The node's routing tables. Changes are applied by one writer at a time in stream-version order and published by
/// swapping the whole <see cref="RoutingState"/>; reads are lock-free.
/// </summary>
public sealed class RoutingTable
{
    private readonly Lock _writer = new();
    private RoutingState _state = RoutingState.Empty;

    public RoutingState Current => Volatile.Read(ref _state);

    /// <summary>Applies the next event of a stream; an older one is a duplicate, a later one reveals a gap.</summary>
    public ChangeOutcome Apply(LoadBalancerChange change)
    {
        lock (_writer)
        {
            var current = _state.LoadBalancers.GetValueOrDefault(change.LoadBalancerId);
            var applied = current?.Version ?? 0;
            if (change.Version <= applied) return ChangeOutcome.Duplicate;
            if (change.Version > applied + 1) return ChangeOutcome.Gap;

            var next = LoadBalancerStream.Evolve(current, change.Event);
            if (next is not null) Publish(_state.With(next with { Version = change.Version }));
            return ChangeOutcome.Applied;
        }
    }

    /// <summary>Takes a load balancer's state from the control plane unless this node has already applied as much.</summary>
    public bool Load(LoadBalancer snapshot)
    {
        lock (_writer)
        {
            if (snapshot.Version <= _state.AppliedVersion(snapshot.Id)) return false;
            Publish(_state.With(snapshot));
            return true;
        }
    }

    private void Publish(RoutingState next) => Volatile.Write(ref _state, next);
}
