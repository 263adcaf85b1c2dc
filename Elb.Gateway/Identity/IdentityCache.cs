using Elb.Commands.Hosting;
using Elb.Commands.Identity;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace Elb.Gateway.Identity;

/// <summary>A user and its role assignments as read for a request's principal.</summary>
public sealed record KnownIdentity(User User, IReadOnlyList<RoleAssignment> Assignments);

/// <summary>How many users' identities the gateway keeps in memory (<c>Elb:Identity:CachedUsers</c>).</summary>
public sealed record IdentityCacheOptions(int CachedUsers = 100_000);

/// <summary>
/// The users whose identities this gateway read last, and the access keys it verified signatures with last, so a
/// request skips the read of its key, user and roles. An entry is trusted only while <see cref="IdentityChanges"/>
/// hears every identity change in the store: a change forgets its user or key here (at once on the gateway that made
/// it, within milliseconds on the others), and while the listener is not connected nothing is kept, so a revoked role,
/// a deleted key or a deleted user never outlives the change that removed it.
/// </summary>
public sealed class IdentityCache(IdentityCacheOptions options) : IDisposable
{
    private readonly MemoryCache _identities = new(new MemoryCacheOptions { SizeLimit = options.CachedUsers });
    private long _generation;
    private volatile bool _trusted;

    /// <summary>Taken before a read: an identity read is kept only if no change was heard meanwhile.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(Guid userId, out KnownIdentity? identity) => TryGet((object)userId, out identity);

    /// <param name="readAt">The <see cref="Generation"/> taken before the identity was read.</param>
    public void Keep(Guid userId, KnownIdentity identity, long readAt) => Keep((object)userId, identity, readAt);

    public void Forget(Guid userId) => Forget((object)userId);

    /// <summary>An access key as stored (its secret still encrypted); keys that do not exist are never kept.</summary>
    public bool TryGetKey(string accessKeyId, out AccessKeyRecord? key) => TryGet(accessKeyId, out key);

    /// <param name="readAt">The <see cref="Generation"/> taken before the key was read.</param>
    public void KeepKey(AccessKeyRecord key, long readAt) => Keep(key.Id, key, readAt);

    public void ForgetKey(string accessKeyId) => Forget(accessKeyId);

    /// <param name="entry">A user's id (a Guid) or an access key's (a string): never equal, whatever the key's text.</param>
    private bool TryGet<T>(object entry, out T? value)
    {
        value = default;
        return _trusted && _identities.TryGetValue(entry, out value);
    }

    private void Keep(object entry, object value, long readAt)
    {
        if (!_trusted) return;
        _identities.Set(entry, value, new MemoryCacheEntryOptions { Size = 1 });
        // A change heard after the read began may have been about this entry: what was read is then not kept.
        if (Generation != readAt) _identities.Remove(entry);
    }

    private void Forget(object entry)
    {
        Interlocked.Increment(ref _generation);
        _identities.Remove(entry);
    }

    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _identities.Clear();
    }

    /// <summary>Changes are heard from now on (the listener has just connected): entries may be kept again.</summary>
    public void Trust()
    {
        ForgetAll();
        _trusted = true;
    }

    /// <summary>Changes may go unheard (the listener lost its connection): nothing is used or kept until it is back.</summary>
    public void Distrust()
    {
        _trusted = false;
        ForgetAll();
    }

    public void Dispose() => _identities.Dispose();
}

/// <summary>
/// Tells every gateway which users an identity change touched: a PostgreSQL notification sent in the change's own
/// transaction (delivered when it commits, never for one rolled back), heard by <see cref="IdentityChangeListener"/>,
/// and on the gateway that made the change, this cache told at once after the commit, before the command answers.
/// </summary>
public sealed class IdentityChanges(IdentityCache cache, string channel) : DocumentSessionListenerBase
{
    /// <summary>The payload that forgets every user (a deleted project takes its role assignments of many users).</summary>
    public const string Everyone = "*";

    public string Channel => channel;

    /// <summary>One channel per schema: gateways of another Elb in the same database do not hear these changes.</summary>
    public static string ChannelOf(string schema) =>
        $"elb_identity_{schema}" is { Length: <= MaxChannelLength } channel ? channel
            : $"elb_identity_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(schema)))[..32]}";

    /// <summary>PostgreSQL's longest identifier (NAMEDATALEN - 1): a longer channel name is refused.</summary>
    private const int MaxChannelLength = 63;

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var touched in Touched(session.PendingChanges.Streams().SelectMany(s => s.Events).Select(e => e.Data)).Distinct())
        {
            session.QueueSqlCommand("select pg_notify(?, ?)", channel, touched);
        }
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var touched in Touched(commit.GetEvents().Select(e => e.Data))) Heard(touched);
        return Task.CompletedTask;
    }

    /// <summary>A notification's payload: a user's id, <see cref="AccessKeyPrefix"/> and an access key's id, or <see cref="Everyone"/>.</summary>
    public void Heard(string touched)
    {
        if (Guid.TryParse(touched, out var userId)) cache.Forget(userId);
        else if (touched.StartsWith(AccessKeyPrefix, StringComparison.Ordinal)) cache.ForgetKey(touched[AccessKeyPrefix.Length..]);
        else cache.ForgetAll();
    }

    public const string AccessKeyPrefix = "key:";

    /// <summary>
    /// The users whose principal an event can change, and the access keys it deletes (a deleted user's keys need not be
    /// forgotten: a request signed with one finds its user gone).
    /// </summary>
    private static IEnumerable<string> Touched(IEnumerable<object> events) => events.Select(data => data switch
    {
        AccessKeyDeleted e => AccessKeyPrefix + e.AccessKeyId,
        UserCreated e => e.UserId.ToString(),
        UserDeleted e => e.UserId.ToString(),
        SystemRoleGranted e => e.UserId.ToString(),
        SystemRoleRevoked e => e.UserId.ToString(),
        RoleGranted e => e.UserId.ToString(),
        RoleRevoked e => e.UserId.ToString(),
        ProjectDeleted => Everyone,
        _ => null,
    }).OfType<string>();
}

/// <summary>
/// Listens for <see cref="IdentityChanges"/>' notifications on a connection of its own, and reconnects after a failure
/// (with backoff); the cache is trusted only while it listens.
/// </summary>
public sealed class IdentityChangeListener(IdentityCache cache, IdentityChanges changes, string connectionString,
    TimeProvider time, ILogger<IdentityChangeListener> logger) : BackgroundService
{
    /// <summary>How the listener's connection shows in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "elb-identity-listener";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Keepalive: a connection that died silently is noticed within seconds, not at the next notification.
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 5, Pooling = false, ApplicationName = ApplicationName };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stopping);
                connection.Notification += (_, notification) => changes.Heard(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{changes.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                cache.Trust();
                failures = 0;
                while (true) await connection.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                logger.LogWarning(failure, "Identity changes are not heard; users' roles are read on every request until they are again");
            }
            finally
            {
                cache.Distrust();
            }
            if (!await Backoff.WaitAsync(++failures, FirstRetry, LongestRetry, time, stopping)) return;
        }
    }
}
