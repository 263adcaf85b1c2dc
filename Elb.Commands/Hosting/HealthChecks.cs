using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Elb.Commands.Hosting;

/// <summary>
/// Opens a real connection each time: <c>/health</c> is 200 only while the dependency answers now. Not a pooled one: a
/// pooled connection that PostgreSQL's restart broke would make the first check after it fail though the store is back.
/// </summary>
public sealed class PostgresHealthCheck(string connectionString) : IHealthCheck
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellation);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}

public sealed class RabbitMqHealthCheck(string connectionUri) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(connectionUri), RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
            await using var connection = await factory.CreateConnectionAsync(cancellation);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException
                                       or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}

public static class HealthEndpoint
{
    /// <summary>
    /// <c>GET /health</c>: 200 when every dependency answers, 503 otherwise, with each check's status. Anonymous, for
    /// load balancers and orchestrators in front of Elb; it names no tenant's data.
    /// </summary>
    public static IEndpointConventionBuilder MapElbHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key,
                        e => new { status = e.Value.Status.ToString(), error = e.Value.Description, data = e.Value.Data }),
                }, ElbJson.Options));
            },
        }).AllowAnonymous();
}
