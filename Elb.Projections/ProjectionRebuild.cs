using System.Diagnostics;
using Elb.Projections.Certificates;
using Elb.Projections.LoadBalancers;
using Marten;

namespace Elb.Projections;

public sealed record RebuildReport(long Events, int Projections, TimeSpan Elapsed)
{
    /// <summary>Events applied per second, counting each projection's pass over the events.</summary>
    public double EventsPerSecond => Events * Projections / Elapsed.TotalSeconds;
}

/// <summary>
/// How far the rebuild of one read model has come: its shard's position against the store's last event sequence, every
/// second, and once more with <see cref="Took"/> when it is done.
/// </summary>
public sealed record RebuildProgress(string ReadModel, long Position, long LastSequence, TimeSpan? Took = null);

/// <summary>
/// Rebuilds every read model from the event store, one after the other (<c>elb projections rebuild</c>).
/// The relay subscription to RabbitMQ is left alone (rebuilding it would republish the whole history).
/// </summary>
public static class ProjectionRebuild
{
    public static readonly Type[] ReadModels = [typeof(LoadBalancerSnapshotProjection), typeof(ResourceLocationProjection),
        typeof(VipAllocationProjection), typeof(CertificateProjection)];

    public static async Task<RebuildReport> RunAsync(IDocumentStore store, IProgress<RebuildProgress> progress,
        CancellationToken cancellation)
    {
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: cancellation);
        var last = statistics.EventSequenceNumber;
        using var daemon = await store.BuildProjectionDaemonAsync();
        var elapsed = Stopwatch.StartNew();
        foreach (var projection in ReadModels)
        {
            progress.Report(new RebuildProgress(projection.Name, 0, last));
            var started = elapsed.Elapsed;
            if (projection == typeof(LoadBalancerSnapshotProjection))
            {
                await LoadBalancerRebuild.RunAsync(store, cancellation);
            }
            else
            {
                using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                var reporter = ReportProgressAsync(store, projection.Name, last, progress, reporting.Token);
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), cancellation);
                await reporting.CancelAsync();
                await reporter;
            }
            progress.Report(new RebuildProgress(projection.Name, last, last, elapsed.Elapsed - started));
        }
        return new RebuildReport(statistics.EventCount, ReadModels.Length, elapsed.Elapsed);
    }

    /// <summary>
    /// Every second, the position of the shard being rebuilt: read models are rebuilt one at a time, so it is the one
    /// shard that is neither a high-water mark nor the relay subscription.
    /// </summary>
    private static async Task ReportProgressAsync(IDocumentStore store, string readModel, long last,
        IProgress<RebuildProgress> progress, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                var shards = await store.Advanced.AllProjectionProgress(token: cancellation);
                var position = shards.Where(s => !s.ShardName.StartsWith("HighWater") && !s.ShardName.StartsWith("elb_events_relay"))
                    .Select(s => s.Sequence).DefaultIfEmpty(0).Max();
                progress.Report(new RebuildProgress(readModel, position, last));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
