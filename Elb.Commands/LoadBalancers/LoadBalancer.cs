using System.Text.Json.Serialization;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// Every event of a load balancer's stream: the load balancer, its pools and their members live in one stream,
/// the consistency boundary that keeps rules spanning pools (such as the member limit) true under concurrency.
/// The discriminator lets one bus message carry any of them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event_type")]
[JsonDerivedType(typeof(LoadBalancerCreated), nameof(LoadBalancerCreated))]
[JsonDerivedType(typeof(BackendServerGroupCreated), nameof(BackendServerGroupCreated))]
[JsonDerivedType(typeof(BackendServerAdded), nameof(BackendServerAdded))]
public interface ILoadBalancerEvent
{
    string ProjectId { get; }
    Guid LoadBalancerId { get; }
}

public sealed record Member(Guid Id, string Address, int ProtocolPort, int Weight, DateTimeOffset CreatedAt);

public sealed record Pool(
    Guid Id,
    string Name,
    string Protocol,
    string LbAlgorithm,
    IReadOnlyList<Member> Members,
    DateTimeOffset CreatedAt);

/// <summary>The state of one load balancer stream, with its pools and their members.</summary>
public sealed record LoadBalancer(
    Guid Id,
    string ProjectId,
    string Name,
    string VpcId,
    IReadOnlyList<string> AvailabilityZoneList,
    bool Guaranteed,
    IReadOnlyList<Pool> Pools,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public Pool? FindPool(Guid poolId) => Pools.FirstOrDefault(p => p.Id == poolId);

    internal LoadBalancer WithPool(Guid poolId, Func<Pool, Pool> change) =>
        this with { Pools = [.. Pools.Select(p => p.Id == poolId ? change(p) : p)] };
}

/// <summary>
/// The one pure function that gives a load balancer stream its meaning. The control plane decides against its
/// result (Marten keeps it as an inline snapshot) and the data plane evolves its own copy with it, so both always
/// agree on what a stream means.
/// </summary>
public static class LoadBalancerStream
{
    public static LoadBalancer? Evolve(LoadBalancer? state, ILoadBalancerEvent @event) => (state, @event) switch
    {
        (null, LoadBalancerCreated e) => new LoadBalancer(e.LoadBalancerId, e.ProjectId, e.Name, e.VpcId,
            e.AvailabilityZoneList, e.Guaranteed, [], e.CreatedAt, e.CreatedAt, 0),
        (null, _) => null,
        (_, BackendServerGroupCreated e) => state with
        {
            Pools = [.. state.Pools, new Pool(e.PoolId, e.Name, e.Protocol, e.LbAlgorithm, [], e.CreatedAt)],
            UpdatedAt = e.CreatedAt,
        },
        (_, BackendServerAdded e) => state.WithPool(e.PoolId, pool => pool with
        {
            Members = [.. pool.Members, new Member(e.MemberId, e.Address, e.ProtocolPort, e.Weight, e.AddedAt)],
        }) with { UpdatedAt = e.AddedAt },
        _ => state,
    };
}
