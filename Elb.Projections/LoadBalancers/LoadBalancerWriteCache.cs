using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Elb.Commands.LoadBalancers;
using JasperFx.Events.Fetching;
using Marten;
using Marten.Services;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// Keeps the load balancers this process last committed, so a command on one takes it from memory instead of reading
/// and deserializing its snapshot (tens of kilobytes at a few hundred members) again. Marten still reads the stream's
/// version under the command's lock and uses an entry only at exactly that version, so a stale or foreign entry costs
/// a load, never a wrong decision.
/// </summary>
/// <remarks>
/// Marten's own write-back stores the instance the command fetched, at the version the commit reached: right for an
/// aggregate evolved in place, wrong for Elb's immutable <see cref="LoadBalancer"/>, which the inline projection
/// replaces with a new record. So an entry is kept only when the snapshot says it is at the version it is stored at
/// (the stale one is ignored, not evicted: it may come after the right one), and the snapshot the commit actually
/// wrote is stored after the commit (<see cref="StoreCommitted"/>).
/// <para>Hand-written rather than on JasperFx's <c>RecentlyUsedAggregateWriteCache</c>, which rebuilds an immutable map
/// on every take: work that grows with the entries, on every command.</para>
/// </remarks>
public sealed class LoadBalancerWriteCache(int sizeLimit) : IAggregateWriteCache
{
    private readonly ConcurrentDictionary<AggregateCacheKey, (LoadBalancer Snapshot, long Version)> _entries = new();
    private long _hits;

    /// <summary>Hands an entry to one command only: another command on the load balancer meanwhile reads it.</summary>
    public bool TryTake(AggregateCacheKey key, [NotNullWhen(true)] out object? aggregate, out long version)
    {
        if (_entries.TryRemove(key, out var entry))
        {
            Interlocked.Increment(ref _hits);
            (aggregate, version) = entry;
            return true;
        }
        (aggregate, version) = (null, 0);
        return false;
    }

    public void Store(AggregateCacheKey key, object aggregate, long version)
    {
        if (aggregate is not LoadBalancer snapshot || snapshot.Version != version) return;
        _entries[key] = (snapshot, version);
        if (_entries.Count > sizeLimit) DropHalf();
    }

    public void Evict(AggregateCacheKey key) => _entries.TryRemove(key, out _);

    /// <summary>Commands that took their load balancer from memory (diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Past the limit, any entries may go: the next command on one of them reads it.</summary>
    private void DropHalf()
    {
        foreach (var key in _entries.Keys.Take(sizeLimit / 2)) _entries.TryRemove(key, out _);
    }

    /// <summary>Stores, after each commit, the load balancer snapshots the commit wrote.</summary>
    public IDocumentSessionListener StoreCommitted => new CommittedSnapshots(this);

    private sealed class CommittedSnapshots(LoadBalancerWriteCache cache) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            foreach (var snapshot in commit.Updated.Concat(commit.Inserted).OfType<LoadBalancer>())
            {
                cache.Store(KeyOf(session, snapshot.Id), snapshot, snapshot.Version);
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>The key Marten's fetch looks an entry up by (built, as Marten builds it, from the database's identifier).</summary>
#pragma warning disable CS0618
    private static AggregateCacheKey KeyOf(IDocumentSession session, Guid loadBalancerId) =>
        new(typeof(LoadBalancer), session.Database.Identifier, session.TenantId, loadBalancerId);
#pragma warning restore CS0618
}
