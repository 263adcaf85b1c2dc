using Elb.Commands.BackendServerGroups;
using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.Sessions;

/// <summary>What a request shows that can tie it to a member: its address, the node's affinity cookie, the application's cookie.</summary>
public readonly record struct ClientRequest(string? ClientAddress, string? AffinityCookie = null, string? AppCookie = null);

/// <summary>
/// Sticky sessions: a client keeps going to its member while that member takes new requests, and moves when it
/// does not. HTTP_COOKIE needs no table (the node's cookie names the member); SOURCE_IP and APP_COOKIE remember a
/// key (client address, the application's cookie value) for <c>persistence_timeout</c> minutes after last use, in a
/// table of at most <see cref="StickyTableOptions.MaxEntries"/> (the least recently used tie makes room: clients are
/// many and anyone can be a new one). Expired ties are dropped by <see cref="StickySessionSweeper"/>'s timer, never on
/// the request path; until then <see cref="Find"/> ignores them.
/// </summary>
public sealed class SessionAffinity(SessionPersistence persistence, TimeProvider time, StickyTableOptions options)
{
    /// <summary>The cookie an HTTP_COOKIE pool's node issues; its value is the member id.</summary>
    public const string CookieName = "ELB_AFFINITY";

    private readonly LruTable<string, (Guid Member, DateTimeOffset ExpiresAt)> _remembered = new(options.MaxEntries);

    public SessionPersistence Persistence => persistence;

    public TimeSpan Timeout => TimeSpan.FromMinutes(persistence.PersistenceTimeout);

    /// <summary>The member this client is tied to, if any is still known.</summary>
    public Guid? Find(in ClientRequest request)
    {
        if (persistence.Type == StickySessionType.HttpCookie)
        {
            return Guid.TryParseExact(request.AffinityCookie, "N", out var member) ? member : null;
        }
        return Key(request) is { } key && _remembered.TryGet(key, out var entry) && entry.ExpiresAt > time.GetUtcNow()
            ? entry.Member
            : null;
    }

    /// <summary>Ties the client to <paramref name="member"/> (or refreshes the tie).</summary>
    public void Remember(in ClientRequest request, Guid member)
    {
        if (Key(request) is not { } key) return;
        _remembered.Set(key, (member, time.GetUtcNow() + Timeout));
    }

    public static string CookieValue(Guid member) => member.ToString("N");

    /// <summary>What a remembered tie is keyed by; an HTTP_COOKIE tie is the cookie itself, so nothing is remembered.</summary>
    private string? Key(in ClientRequest request) => persistence.Type switch
    {
        StickySessionType.SourceIp => request.ClientAddress,
        StickySessionType.AppCookie => request.AppCookie,
        StickySessionType.HttpCookie => null,
    };

    /// <summary>Ties remembered now, expired or not.</summary>
    public int Count => _remembered.Count;

    /// <summary>
    /// Drops the expired ties. Every tie lives for the same timeout after its last use, so they expire in order of
    /// use and the sweep reads only the expired ones.
    /// </summary>
    public void Sweep()
    {
        var now = time.GetUtcNow();
        _remembered.RemoveOldestWhile(entry => entry.ExpiresAt <= now);
    }
}
