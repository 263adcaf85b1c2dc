using System.Collections.Concurrent;
using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.Sessions;

/// <summary>What a request shows that can tie it to a member: its address, the node's affinity cookie, the application's cookie.</summary>
public readonly record struct ClientRequest(string? ClientAddress, string? AffinityCookie = null, string? AppCookie = null);

/// <summary>
/// Sticky sessions: a client keeps going to its member while that member takes new requests, and moves when it
/// does not. HTTP_COOKIE needs no table (the node's cookie names the member); SOURCE_IP and APP_COOKIE remember a
/// key (client address, the application's cookie value) for <c>persistence_timeout</c> minutes after last use.
/// </summary>
public sealed class SessionAffinity(SessionPersistence persistence, TimeProvider time)
{
    /// <summary>The cookie an HTTP_COOKIE pool's node issues; its value is the member id.</summary>
    public const string CookieName = "ELB_AFFINITY";

    private const int SweepThreshold = 100_000;

    private readonly ConcurrentDictionary<string, (Guid Member, DateTimeOffset ExpiresAt)> _remembered = new();

    public SessionPersistence Persistence => persistence;

    public TimeSpan Timeout => TimeSpan.FromMinutes(persistence.PersistenceTimeout);

    /// <summary>The member this client is tied to, if any is still known.</summary>
    public Guid? Find(in ClientRequest request)
    {
        if (persistence.Type == "HTTP_COOKIE")
        {
            return Guid.TryParseExact(request.AffinityCookie, "N", out var member) ? member : null;
        }
        return Key(request) is { } key && _remembered.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow()
            ? entry.Member
            : null;
    }

    /// <summary>Ties the client to <paramref name="member"/> (or refreshes the tie).</summary>
    public void Remember(in ClientRequest request, Guid member)
    {
        if (Key(request) is not { } key) return;
        if (_remembered.Count > SweepThreshold) Sweep();
        _remembered[key] = (member, time.GetUtcNow() + Timeout);
    }

    public static string CookieValue(Guid member) => member.ToString("N");

    private string? Key(in ClientRequest request) => persistence.Type switch
    {
        "SOURCE_IP" => request.ClientAddress,
        "APP_COOKIE" => request.AppCookie,
        _ => null,
    };

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _remembered)
        {
            if (entry.ExpiresAt <= now) _remembered.TryRemove(key, out _);
        }
    }
}
