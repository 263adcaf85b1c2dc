using System.Diagnostics.CodeAnalysis;
using Elb.Commands.LoadBalancers;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Events.Fetching;
using Marten.Internal.Sessions;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;

namespace Elb.Projections.LoadBalancers;

/// <summary>Hands Marten <see cref="LoadBalancerFetchPlan"/> for every fetch of a <see cref="LoadBalancer"/> to write.</summary>
public sealed class LoadBalancerFetchPlanner(LoadBalancerWriteCache cache) : IFetchPlanner
{
    public LoadBalancerWriteCache Cache => cache;

    public bool TryMatch<TDoc, TId>(IEventIdentityStrategy<TId> identity, StoreOptions options,
        [NotNullWhen(true)] out IAggregateFetchPlan<TDoc, TId>? plan) where TDoc : class where TId : notnull
    {
        plan = typeof(TDoc) == typeof(LoadBalancer) && identity is IEventIdentityStrategy<Guid> byGuid
            ? (IAggregateFetchPlan<TDoc, TId>)(object)new LoadBalancerFetchPlan(byGuid, cache)
            : null;
        return plan is not null;
    }
}

/// <summary>
/// Marten's fetch of a load balancer for a command (Wolverine's <c>[WriteAggregate]</c>, <c>FetchForExclusiveWriting</c>),
/// for the way Elb stores it (<see cref="LoadBalancerStorage"/>): the stream's version, locked, then the load balancer
/// from memory at that version (<see cref="LoadBalancerWriteCache"/>) or else its snapshot and members read.
/// </summary>
/// <remarks>
/// Written for Elb because Marten's inline plan reads one document, which no longer holds the members. The state is
/// put in the session's identity map, as Marten's own plan does, so the inline projection applies the command's events
/// to this very instance instead of reading the load balancer a second time.
/// </remarks>
public sealed class LoadBalancerFetchPlan(IEventIdentityStrategy<Guid> identity, LoadBalancerWriteCache cache)
    : IAggregateFetchPlan<LoadBalancer, Guid>
{
    public ProjectionLifecycle Lifecycle => ProjectionLifecycle.Inline;

    public async Task<IEventStream<LoadBalancer>> FetchForWriting(DocumentSessionBase session, Guid id, bool forUpdate,
        CancellationToken cancellation = default)
    {
        await EnsureStorageAsync(session, cancellation);
        if (forUpdate) await session.BeginTransactionAsync(cancellation);
        var version = await ReadVersionAsync(session, id, forUpdate, cancellation);
        return await StreamAtAsync(session, id, version, cancellation);
    }

    public async Task<IEventStream<LoadBalancer>> FetchForWriting(DocumentSessionBase session, Guid id, long expectedStartingVersion,
        CancellationToken cancellation = default)
    {
        await EnsureStorageAsync(session, cancellation);
        var version = await ReadVersionAsync(session, id, forUpdate: false, cancellation);
        if (version != expectedStartingVersion)
        {
            throw new JasperFx.ConcurrencyException($"Expected the existing version to be {expectedStartingVersion}, but was {version}",
                typeof(LoadBalancer), id);
        }
        return await StreamAtAsync(session, id, version, cancellation);
    }

    public async ValueTask<LoadBalancer?> FetchForReading(DocumentSessionBase session, Guid id, CancellationToken cancellation) =>
        await session.LoadLoadBalancerAsync(id, cancellation);

    public ValueTask<LoadBalancer?> ProjectLatest(DocumentSessionBase session, Guid id, CancellationToken cancellation) =>
        throw Unsupported(nameof(ProjectLatest));

    public Task<bool> StreamForReading(DocumentSessionBase session, Guid id, Stream destination, CancellationToken cancellation) =>
        throw Unsupported(nameof(StreamForReading));

    public IQueryHandler<IEventStream<LoadBalancer>> BuildQueryHandler(QuerySession session, Guid id, long expectedStartingVersion) =>
        throw Unsupported("a batched FetchForWriting");

    public IQueryHandler<IEventStream<LoadBalancer>> BuildQueryHandler(QuerySession session, Guid id, bool forUpdate) =>
        throw Unsupported("a batched FetchForWriting");

    public IQueryHandler<LoadBalancer?> BuildQueryHandler(QuerySession session, Guid id) => throw Unsupported("a batched FetchLatest");

    private static NotSupportedException Unsupported(string what) =>
        new($"Elb does not use {what} for load balancers: read one with LoadBalancerStorage, or fetch it to write.");

    private async Task EnsureStorageAsync(DocumentSessionBase session, CancellationToken cancellation)
    {
        await identity.EnsureEventStorageExists<LoadBalancer>(session, cancellation);
        await session.Database.EnsureStorageExistsAsync(typeof(LoadBalancer), cancellation);
        await session.Database.EnsureStorageExistsAsync(typeof(StoredMember), cancellation);
    }

    private async Task<long> ReadVersionAsync(DocumentSessionBase session, Guid id, bool forUpdate, CancellationToken cancellation)
    {
        var builder = new BatchBuilder { TenantId = session.TenantId };
        identity.BuildCommandForReadingVersionForStream(false, builder, id, forUpdate);
        await using var reader = await session.ExecuteReaderAsync(builder.Compile(), cancellation);
        return await reader.ReadAsync(cancellation) ? await reader.GetFieldValueAsync<long>(0, cancellation) : 0;
    }

    private async Task<IEventStream<LoadBalancer>> StreamAtAsync(DocumentSessionBase session, Guid id, long version,
        CancellationToken cancellation)
    {
        if (version == 0) return identity.StartStream<LoadBalancer>(null, session, id, cancellation);
        var state = cache.TryTake(id, version, out var kept) ? kept : await session.LoadLoadBalancerAsync(id, cancellation);
        if (state is not null) KeepInIdentityMap(session, state);
        return identity.AppendToStream(state, session, id, version, cancellation);
    }

    private static void KeepInIdentityMap(DocumentSessionBase session, LoadBalancer state)
    {
        session.UseIdentityMapFor<LoadBalancer>();
        if (!session.ItemMap.TryGetValue(typeof(LoadBalancer), out var map)) session.ItemMap[typeof(LoadBalancer)] = map = new Dictionary<Guid, LoadBalancer>();
        ((Dictionary<Guid, LoadBalancer>)map)[state.Id] = state;
    }
}
