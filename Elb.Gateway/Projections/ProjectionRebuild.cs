using System.Diagnostics;
using Elb.Projections;
using Elb.Projections.LoadBalancers;
using Marten;

namespace Elb.Gateway.Projections;

public sealed record RebuildReport(long Events, int Projections, TimeSpan Elapsed)
{
    /// <summary>Events applied per second, counting each projection's pass over the events.</summary>
    public double EventsPerSecond => Events * Projections / Elapsed.TotalSeconds;
}

/// <summary>
/// Rebuilds every read model from the event store: <c>dotnet run --project Elb.Gateway -- projections --rebuild</c>.
/// The relay subscription to RabbitMQ is left alone (rebuilding it would republish the whole history).
/// </summary>
public static class ProjectionRebuild
{
    public static readonly Type[] ReadModels = [typeof(LoadBalancerSnapshotProjection), typeof(ResourceLocationProjection),
        typeof(VipAllocationProjection), typeof(Elb.Projections.Certificates.CertificateProjection)];

    public static async Task<RebuildReport> RunAsync(IDocumentStore store, TextWriter progress, CancellationToken cancellation)
    {
        var events = (await store.Advanced.FetchEventStoreStatistics(token: cancellation)).EventCount;
        progress.WriteLine($"Rebuilding {ReadModels.Length} read models from {events:N0} events");
        using var daemon = await store.BuildProjectionDaemonAsync();
        var elapsed = Stopwatch.StartNew();
        foreach (var projection in ReadModels)
        {
            using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var reporter = ReportProgressAsync(store, progress, reporting.Token);
            var started = elapsed.Elapsed;
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(30), cancellation);
            await reporting.CancelAsync();
            await reporter;
            progress.WriteLine($"  {projection.Name}: done in {(elapsed.Elapsed - started).TotalSeconds:F1} s");
        }
        var report = new RebuildReport(events, ReadModels.Length, elapsed.Elapsed);
        progress.WriteLine($"Rebuilt in {report.Elapsed.TotalSeconds:F1} s: {report.EventsPerSecond:N0} events/s");
        return report;
    }

    /// <summary>Every second, the position of each read model's shard (the one being rebuilt moves).</summary>
    private static async Task ReportProgressAsync(IDocumentStore store, TextWriter progress, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                var shards = await store.Advanced.AllProjectionProgress(token: cancellation);
                var highWater = shards.FirstOrDefault(s => s.ShardName == "HighWaterMark")?.Sequence ?? 0;
                foreach (var shard in shards.Where(s => !s.ShardName.StartsWith("HighWater") && !s.ShardName.StartsWith("elb_events_relay")))
                {
                    progress.WriteLine($"  {shard.ShardName}: {shard.Sequence:N0} / {highWater:N0}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
