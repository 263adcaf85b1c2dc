using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Elb.Commands.LoadBalancers;
using Marten;
using Marten.Services;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// Keeps the load balancers this process last committed, so a command on one takes it from memory instead of reading
/// its snapshot and members again. <see cref="LoadBalancerFetchPlan"/> still reads the stream's version under the
/// command's lock and uses an entry only at exactly that version, so a stale or foreign entry costs a read, never a
/// wrong decision.
/// </summary>
/// <remarks>Hand-written rather than on JasperFx's <c>RecentlyUsedAggregateWriteCache</c>, which rebuilds an immutable
/// map on every take: work that grows with the entries, on every command.</remarks>
public sealed class LoadBalancerWriteCache(int sizeLimit)
{
    private readonly ConcurrentDictionary<Guid, LoadBalancer> _entries = new();
    private long _hits;

    /// <summary>
    /// The load balancer at <paramref name="version"/>, if kept. An entry is handed to one command only (another
    /// command on the load balancer meanwhile reads it); one at another version is dropped.
    /// </summary>
    public bool TryTake(Guid id, long version, [NotNullWhen(true)] out LoadBalancer? loadBalancer)
    {
        if (_entries.TryRemove(id, out var entry) && entry.Version == version)
        {
            Interlocked.Increment(ref _hits);
            loadBalancer = entry;
            return true;
        }
        loadBalancer = null;
        return false;
    }

    /// <summary>Keeps a load balancer as a commit wrote it (at the stream version it says it is at).</summary>
    public void Store(LoadBalancer committed)
    {
        _entries[committed.Id] = committed;
        if (_entries.Count > sizeLimit) DropHalf();
    }

    /// <summary>Commands that took their load balancer from memory (diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Past the limit, any entries may go: the next command on one of them reads it.</summary>
    private void DropHalf()
    {
        foreach (var key in _entries.Keys.Take(sizeLimit / 2)) _entries.TryRemove(key, out _);
    }

    /// <summary>
    /// Stores, after each commit, the load balancers the commit wrote: only a committed state may be kept, or a
    /// rolled-back one could be taken later at a version another commit reached.
    /// </summary>
    public IDocumentSessionListener StoreCommitted => new CommittedSnapshots(this);

    private sealed class CommittedSnapshots(LoadBalancerWriteCache cache) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            foreach (var snapshot in commit.Updated.Concat(commit.Inserted).OfType<LoadBalancer>()) cache.Store(snapshot);
            return Task.CompletedTask;
        }
    }
}
