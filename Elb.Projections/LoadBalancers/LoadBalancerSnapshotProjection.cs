using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Patching;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// Keeps each load balancer's decision state as an inline snapshot, so a command loads one document instead of
/// replaying its stream; it is also what data-plane nodes load at start (with its stream version).
/// </summary>
/// <remarks>
/// The snapshot document holds the load balancer without its members (<see cref="LoadBalancerStorage"/>); each member
/// is a <see cref="StoredMember"/> of its own, written only when an event touches it. A change therefore writes a
/// small document and the members it changed, not every member again (at 492 members the whole snapshot is 130 kB of
/// JSON, which PostgreSQL parsed, compressed and logged on every command).
/// </remarks>
public sealed class LoadBalancerSnapshotProjection : SingleStreamProjection<LoadBalancer, Guid>
{
    /// <remarks>
    /// Elb's commands fetch the load balancer first (<see cref="LoadBalancerFetchPlan"/>), and the projection applies
    /// their events to that state. Events appended without that fetch find the snapshot document, which has no members:
    /// they are read before the event is applied.
    /// </remarks>
    public override async ValueTask<LoadBalancer?> EvolveAsync(LoadBalancer? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation)
    {
        if (e.Data is not ILoadBalancerEvent data) return snapshot;
        var before = snapshot is null ? null : await session.WithMembersAsync(snapshot, cancellation);
        return LoadBalancerStream.Evolve(before, data) is { } next ? next with { Version = e.Version } : null;
    }

    public override ValueTask RaiseSideEffects(IDocumentOperations operations, Guid id, IEventSlice<LoadBalancer> slice)
    {
        StoredMembers.Write(operations, id, slice.Snapshot, slice.Events());
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A member stored apart from its load balancer's snapshot. <see cref="Position"/> is the stream version of the event
/// that added it: members were appended in that order and are never reordered, so it orders a pool's members as the
/// load balancer holds them.
/// </summary>
public sealed record StoredMember(Guid Id, Guid LoadBalancerId, Guid PoolId, long Position, Member Member);

public static class StoredMembers
{
    /// <summary>
    /// Writes what <paramref name="events"/> changed of the members of <paramref name="state"/> (the load balancer
    /// after them): an added member whole, a changed one by replacing its <see cref="StoredMember.Member"/> (its
    /// position stays), a removed one deleted.
    /// </summary>
    public static void Write(IDocumentOperations operations, Guid loadBalancerId, LoadBalancer? state, IReadOnlyList<IEvent> events)
    {
        if (state is null)
        {
            operations.DeleteWhere<StoredMember>(m => m.LoadBalancerId == loadBalancerId);
            return;
        }
        foreach (var e in events)
        {
            switch (Touched(e.Data))
            {
                case MemberAdded(var poolId, var memberId):
                    if (state.FindPool(poolId)?.FindMember(memberId) is { } added)
                    {
                        operations.Store(new StoredMember(memberId, loadBalancerId, poolId, e.Version, added));
                    }
                    break;
                case MemberTouched(var poolId, var memberId):
                    Replace(operations, state.FindPool(poolId)?.FindMember(memberId), memberId);
                    break;
                case PoolTouched(var poolId) when state.FindPool(poolId) is { } pool:
                    foreach (var member in pool.Members) Replace(operations, member, member.Id);
                    break;
                case PoolTouched(var poolId):
                    operations.DeleteWhere<StoredMember>(m => m.PoolId == poolId);
                    break;
            }
        }
    }

    /// <summary>A member still there gets its new state; one gone (removed later in the same batch, or now) is deleted.</summary>
    private static void Replace(IDocumentOperations operations, Member? member, Guid memberId)
    {
        if (member is null) operations.Delete<StoredMember>(memberId);
        else operations.Patch<StoredMember>(memberId).Set(m => m.Member, member);
    }

    private abstract record Footprint;

    private sealed record NoMember : Footprint;

    private sealed record MemberAdded(Guid PoolId, Guid MemberId) : Footprint;

    private sealed record MemberTouched(Guid PoolId, Guid MemberId) : Footprint;

    private sealed record PoolTouched(Guid PoolId) : Footprint;

    private static readonly NoMember None = new();

    /// <summary>Which members an event can change (what it changes them to is <see cref="LoadBalancerStream.Evolve"/>'s).</summary>
    private static Footprint Touched(object data) => data switch
    {
        not ILoadBalancerEvent => None,
        BackendServerAdded e => new MemberAdded(e.PoolId, e.MemberId),
        BackendServerUpdated e => new MemberTouched(e.PoolId, e.MemberId),
        BackendServerRemoved e => new MemberTouched(e.PoolId, e.MemberId),
        MemberHealthChanged e => new MemberTouched(e.PoolId, e.MemberId),
        SlowStartBegan e => new MemberTouched(e.PoolId, e.MemberId),
        // A monitor decides every member's status, and new slow-start settings every member's window.
        HealthMonitorCreated e => new PoolTouched(e.PoolId),
        HealthMonitorUpdated e => new PoolTouched(e.PoolId),
        HealthMonitorDeleted e => new PoolTouched(e.PoolId),
        BackendServerGroupUpdated e => new PoolTouched(e.PoolId),
        BackendServerGroupDeleted e => new PoolTouched(e.PoolId),
        LoadBalancerCreated or LoadBalancerUpdated or IpAsBackendEnabled or LoadBalancerDeleted or ListenerCreated
            or ListenerUpdated or ListenerDeleted or BackendServerGroupCreated or BackendServerPowerChanged => None,
        // Like Evolve: an event type this code does not know would leave stored members that silently differ.
        _ => throw new InvalidOperationException($"StoredMembers has no footprint for {data.GetType().Name}."),
    };
}
