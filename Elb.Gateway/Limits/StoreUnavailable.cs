using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Elb.Gateway.Limits;

/// <summary>
/// While PostgreSQL cannot be reached (restarting, failing over, the network down, every pooled connection busy), a
/// request is answered 503 <c>ELB.StoreUnavailable</c> with <c>Retry-After</c>, not 500: nothing was changed, and the
/// same request succeeds once the store is back. The gateway reconnects by itself (Npgsql opens new connections).
/// A command whose connection broke after it was sent may have been committed: a client that retries such a 503
/// finds out as with any lost answer (an add retried may add twice; an update retried changes nothing more).
/// </summary>
public sealed class StoreUnavailable : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
    {
        if (!IsStoreUnavailable(exception) || context.Response.HasStarted) return false;
        context.Response.Headers.RetryAfter = "2";
        await ElbResults.WriteProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "ELB.StoreUnavailable",
            "The event store (PostgreSQL) cannot be reached right now; retry in a moment.");
        return true;
    }

    /// <summary>
    /// The store could not be reached or dropped the connection: Npgsql's transient failures (connecting, reading,
    /// timeouts, "too many connections"), PostgreSQL shutting down or starting up (57P01-57P03), connection errors
    /// (class 08), and Marten's session whose connection broke mid-transaction. Rule violations, constraint errors and
    /// bugs stay what they are.
    /// </summary>
    public static bool IsStoreUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable }:
                    return false; // LockWait's: the store is there, the load balancer is busy
                case PostgresException postgres when postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState == PostgresErrorCodes.TooManyConnections:
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException { IsTransient: true }:
                case SessionTransactionUnusableException:
                    return true;
            }
        }
        return false;
    }
}
