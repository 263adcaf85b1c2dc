using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Elb.Commands.LoadBalancers;
using Marten;
using Marten.Services.BatchQuerying;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// How a load balancer is stored: its snapshot document without members, and each member as a
/// <see cref="StoredMember"/> (written by <see cref="LoadBalancerSnapshotProjection"/>). Every read of a load balancer
/// goes through here, which puts the two together again; a snapshot read any other way has no members (null), so a
/// read that skipped this fails at once instead of showing an empty pool.
/// </summary>
public static class LoadBalancerStorage
{
    /// <summary>
    /// Marten's serializer leaves a pool's members out of the snapshot document, and writes how many the load balancer
    /// has into it instead (read back never: it is the members' count), so a project's members are counted from its
    /// load balancers' snapshots (<see cref="Quotas.ProjectUsageQuery"/>) rather than one by one.
    /// </summary>
    public static void StoreMembersApart(JsonTypeInfo type)
    {
        if (type.Type == typeof(LoadBalancer))
        {
            // In place of the property as the API ignores it ([JsonIgnore]), whose name it takes.
            var ignored = type.Properties.Single(p => p.AttributeProvider is PropertyInfo { Name: nameof(LoadBalancer.MemberCount) });
            var memberCount = type.CreateJsonPropertyInfo(typeof(int), ignored.Name);
            memberCount.Get = static loadBalancer => ((LoadBalancer)loadBalancer).MemberCount;
            type.Properties[type.Properties.IndexOf(ignored)] = memberCount;
        }
        if (type.Type != typeof(Pool)) return;
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is PropertyInfo { Name: nameof(Pool.Members) }) property.ShouldSerialize = static (_, _) => false;
        }
    }

    /// <summary>The load balancer as stored now, with its members; null when there is none.</summary>
    public static async Task<LoadBalancer?> LoadLoadBalancerAsync(this IQuerySession session, Guid id, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var snapshot = batch.Load<LoadBalancer>(id);
        var members = batch.MembersOf([id]);
        await batch.Execute(cancellation);
        return await snapshot is { } found ? WithMembers(found, await members) : null;
    }

    /// <summary>The load balancers among <paramref name="ids"/> that exist, with their members.</summary>
    public static async Task<IReadOnlyList<LoadBalancer>> LoadLoadBalancersAsync(this IQuerySession session, IEnumerable<Guid> ids,
        CancellationToken cancellation)
    {
        var wanted = ids.Distinct().ToArray();
        if (wanted.Length == 0) return [];
        var batch = session.CreateBatchQuery();
        var snapshots = batch.LoadMany<LoadBalancer>().ById(wanted);
        var members = batch.MembersOf(wanted);
        await batch.Execute(cancellation);
        return WithMembers(await snapshots, await members);
    }

    /// <summary>
    /// The members at <paramref name="locations"/> that exist, in that order, each with what of its load balancer a
    /// reader shows beside it: one round trip, without reading the load balancers' other members.
    /// </summary>
    public static async Task<IReadOnlyList<LocatedMember>> LoadMembersAsync(this IQuerySession session,
        IReadOnlyList<ResourceLocation> locations, CancellationToken cancellation)
    {
        if (locations.Count == 0) return [];
        var batch = session.CreateBatchQuery();
        var members = batch.LoadMany<StoredMember>().ById(locations.Select(l => l.Id).ToArray());
        // only the load balancers' own fields are read from these snapshots, never their members
        var holders = batch.LoadMany<LoadBalancer>().ById(locations.Select(l => l.LoadBalancerId).Distinct().ToArray());
        await batch.Execute(cancellation);
        var byId = (await members).ToDictionary(m => m.Id);
        var holderById = (await holders).ToDictionary(lb => lb.Id);
        return [.. locations.Select(l => byId.GetValueOrDefault(l.Id) is { } stored && holderById.GetValueOrDefault(stored.LoadBalancerId) is { } lb
                ? new LocatedMember(lb.Id, lb.ProjectId, lb.Name, stored.PoolId, stored.Member)
                : null)
            .OfType<LocatedMember>()];
    }

    /// <summary>A project's load balancers with their members; every load balancer when <paramref name="projectId"/> is null.</summary>
    public static async Task<IReadOnlyList<LoadBalancer>> ListLoadBalancersAsync(this IQuerySession session, string? projectId,
        CancellationToken cancellation)
    {
        if (projectId is null)
        {
            var batch = session.CreateBatchQuery();
            var all = batch.Query<LoadBalancer>().ToList();
            var allMembers = batch.Query<StoredMember>().OrderBy(m => m.Position).ToList();
            await batch.Execute(cancellation);
            return WithMembers(await all, await allMembers);
        }
        var snapshots = await session.Query<LoadBalancer>().Where(lb => lb.ProjectId == projectId).ToListAsync(cancellation);
        return snapshots.Count == 0 ? [] : WithMembers(snapshots, await session.LoadMembersOfAsync([.. snapshots.Select(lb => lb.Id)], cancellation));
    }

    /// <summary><paramref name="snapshot"/> with its members read, unless it has them already.</summary>
    public static async Task<LoadBalancer> WithMembersAsync(this IQuerySession session, LoadBalancer snapshot, CancellationToken cancellation)
    {
        if (snapshot.Pools.All(p => p.Members is not null)) return snapshot;
        return WithMembers(snapshot, await session.LoadMembersOfAsync([snapshot.Id], cancellation));
    }

    /// <summary>The members of the load balancers <paramref name="ids"/>, in their pools' order, read in one round trip.</summary>
    private static async Task<IReadOnlyList<StoredMember>> LoadMembersOfAsync(this IQuerySession session, Guid[] ids,
        CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var members = batch.MembersOf(ids);
        await batch.Execute(cancellation);
        return await members;
    }

    /// <summary>The members of the load balancers <paramref name="ids"/>, in their pools' order, once the batch runs.</summary>
    private static Task<IReadOnlyList<StoredMember>> MembersOf(this IBatchedQuery batch, Guid[] ids) =>
        batch.Query<StoredMember>().Where(m => ids.Contains(m.LoadBalancerId)).OrderBy(m => m.Position).ToList();

    private static List<LoadBalancer> WithMembers(IEnumerable<LoadBalancer> snapshots, IEnumerable<StoredMember> members)
    {
        var byPool = members.ToLookup(m => m.PoolId);
        return [.. snapshots.Select(lb => WithMembers(lb, byPool))];
    }

    private static LoadBalancer WithMembers(LoadBalancer snapshot, IEnumerable<StoredMember> members) =>
        WithMembers(snapshot, members.ToLookup(m => m.PoolId));

    /// <param name="byPool">Members in position order within each pool.</param>
    private static LoadBalancer WithMembers(LoadBalancer snapshot, ILookup<Guid, StoredMember> byPool) =>
        snapshot with { Pools = [.. snapshot.Pools.Select(p => p with { Members = [.. byPool[p.Id].Select(m => m.Member)] })] };
}

/// <summary>A member with what of its load balancer and pool a reader shows beside it.</summary>
public sealed record LocatedMember(Guid LoadBalancerId, string ProjectId, string LoadBalancerName, Guid PoolId, Member Member);
