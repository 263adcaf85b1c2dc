using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Elb.Gateway.Projections;

/// <summary>Each asynchronous projection or subscription's position against the event store's high-water mark.</summary>
public sealed class ProjectionLagHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        try
        {
            var shards = await store.Advanced.AllProjectionProgress(token: cancellation);
            var highWater = shards.FirstOrDefault(s => s.ShardName == "HighWaterMark")?.Sequence ?? 0;
            var data = shards.Where(s => s.ShardName is not ("HighWaterMark" or "HighWaterAllocationFence"))
                .ToDictionary(s => s.ShardName, s => (object)new { position = s.Sequence, high_water_mark = highWater, lag = highWater - s.Sequence });
            return HealthCheckResult.Healthy(data: data);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
