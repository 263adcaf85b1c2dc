using Elb.Commands.LoadBalancers;
using Marten;
using Weasel.Core;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// Rebuilds the load balancer snapshots and their stored members from the events (<c>elb projections rebuild</c>).
/// Written for Elb because Marten's rebuild of <see cref="LoadBalancerSnapshotProjection"/> raises no side effects, so
/// it would write the snapshots without members and leave the members as they were.
/// </summary>
public static class LoadBalancerRebuild
{
    /// <summary>Load balancers one rebuild transaction writes.</summary>
    private const int Batch = 20;

    /// <remarks>
    /// A rebuilt member's position is its place in its pool; an event adding one later has a stream version past every
    /// such place (each member there took an event of its own).
    /// </remarks>
    public static async Task RunAsync(IDocumentStore store, CancellationToken cancellation)
    {
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(StoredMember), cancellation);
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(LoadBalancer), cancellation);
        await using var query = store.QuerySession();
        var ids = await query.Events.QueryRawEventDataOnly<LoadBalancerCreated>().Select(e => e.LoadBalancerId).ToListAsync(cancellation);
        // Replaying a stream is CPU work on this side: one transaction per core at a time.
        await Parallel.ForEachAsync(ids.Chunk(Batch), cancellation, async (batch, cancel) =>
        {
            await using var session = store.LightweightSession();
            List<StoredMember> members = [];
            foreach (var id in batch)
            {
                // a deleted load balancer's stream replays to nothing
                if (await session.Events.AggregateStreamAsync<LoadBalancer>(id, token: cancel) is not { } loadBalancer) continue;
                session.Store(loadBalancer);
                members.AddRange(loadBalancer.Pools.SelectMany(pool =>
                    pool.Members.Select((member, place) => new StoredMember(member.Id, id, pool.Id, place, member))));
            }
            await session.SaveChangesAsync(cancel);
            // COPY rather than an upsert a member: the table was emptied above
            await store.BulkInsertDocumentsAsync(members, BulkInsertMode.InsertsOnly, cancellation: cancel);
        });
    }
}
