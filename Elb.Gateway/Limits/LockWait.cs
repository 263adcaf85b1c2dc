using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Elb.Gateway.Limits;

/// <summary>
/// A command waits for its load balancer's row lock at most <c>Elb:Commands:LockTimeout</c> (PostgreSQL's
/// <c>lock_timeout</c>, default 2 s): a queue of writers on one load balancer cannot hold the connection pool for ever.
/// A command that does not get the lock in time changed nothing and is answered 503 with <c>Retry-After</c>.
/// </summary>
public sealed class LockWait : IExceptionHandler
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The connection string the command path uses: the operator's, with the lock wait bounded.</summary>
    public static string Bounded(string connectionString, IConfiguration configuration)
    {
        var timeout = configuration.GetValue<TimeSpan?>("Elb:Commands:LockTimeout") ?? DefaultTimeout;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"{builder.Options} -c lock_timeout={(int)timeout.TotalMilliseconds}".Trim();
        return builder.ConnectionString;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                context.Response.Headers.RetryAfter = "1";
                await ElbResults.WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "ELB.LoadBalancerBusy",
                    "The load balancer is busy with other changes; nothing was changed. Retry in a moment.");
                return true;
            }
        }
        return false;
    }
}
