using Marten;

namespace Elb.Commands.Inventory;

/// <summary>
/// Rule 14's lock, so that a server's power action reaches every member of that server: the action holds the server's
/// lock exclusively while it finds and changes the load balancers the server serves in, and adding a member on the
/// server shares it. PostgreSQL advisory locks, held to the end of the transaction.
/// </summary>
/// <remarks>
/// An add holds its load balancer's lock before it gets here, and the power action takes the server's first: so an add
/// only tries the server's lock, and a power action in progress makes it a retryable refusal rather than a deadlock.
/// </remarks>
public static class ServerLocks
{
    /// <summary>The advisory lock key of a project's server: half its document key (two servers sharing one only wait for each other).</summary>
    public static long KeyOf(string projectId, string serverId) =>
        BitConverter.ToInt64(InventoryKey.Server(projectId, serverId).ToByteArray());

    public static async Task TakeAsync(IDocumentSession session, string projectId, string serverId, CancellationToken cancellation)
    {
        // Held to the end of the session's transaction: outside one, PostgreSQL would release it with the statement.
        await session.BeginTransactionAsync(cancellation);
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", cancellation, KeyOf(projectId, serverId));
    }

    /// <summary>Shares the servers' locks, or says which server a power action holds now.</summary>
    public static async Task<RuleViolation?> TryShareAsync(IDocumentSession session, string projectId,
        IEnumerable<string> serverIds, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        foreach (var serverId in serverIds.Distinct().Order(StringComparer.Ordinal))
        {
            var taken = await session.QueryAsync<bool>("select pg_try_advisory_xact_lock_shared(?)", cancellation,
                KeyOf(projectId, serverId));
            if (!taken.Single())
            {
                return RuleViolation.Conflict("ELB.ServerBusy",
                    $"A power action on server {serverId} is in progress; retry once it is done.");
            }
        }
        return null;
    }
}

/// <summary>The load balancers a server is a backend server of; the read model that knows is in Elb.Projections.</summary>
public interface IServerMembership
{
    Task<IReadOnlyList<Guid>> LoadBalancersServedByAsync(IQuerySession session, string projectId, string serverId,
        CancellationToken cancellation);
}
