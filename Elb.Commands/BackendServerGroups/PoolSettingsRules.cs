using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;

namespace Elb.Commands.BackendServerGroups;

public sealed record SessionPersistenceInput(string? Type, string? CookieName, int? PersistenceTimeout);

public sealed record SlowStartInput(bool? Enable, int? Duration);

public sealed record ConnectionDrainInput(bool? Enable, int? Timeout);

/// <summary>Validates the settings a pool can be created or updated with, against its load balancer.</summary>
public static class PoolSettingsRules
{
    public static readonly string[] Types = ["instance", "ip", ""];

    public const string StickySessionWarning =
        "Sticky sessions may make the proportions of requests processed by backend servers unbalanced. " +
        "If that happens, disable sticky sessions and check the requests received by each backend server.";

    /// <summary>The algorithm a request names: the request keeps it as text, so that an unknown one is refused here, by name.</summary>
    public static RuleViolation? KnownAlgorithm(string text, out LbAlgorithm algorithm) => WireNames<LbAlgorithm>.TryParse(text, out algorithm)
        ? null
        : RuleViolation.Invalid("ELB.UnsupportedAlgorithm",
            $"Load balancing algorithm '{text}' is not one of {WireNames<LbAlgorithm>.All}.");

    /// <summary>Connection draining applies to TCP, UDP and QUIC pools, for 10–4000 s (ELB v3).</summary>
    public static (ConnectionDrain? Drain, RuleViolation? Violation) Drain(Protocol poolProtocol, ConnectionDrainInput? input,
        ConnectionDrain current)
    {
        var drain = input is null ? current : new ConnectionDrain(input.Enable ?? current.Enable, input.Timeout ?? current.Timeout);
        if (!drain.Enable) return (drain, null);
        if (poolProtocol is not (Protocol.Tcp or Protocol.Udp or Protocol.Quic))
        {
            return (null, RuleViolation.Conflict("ELB.ConnectionDrainNeedsTcpOrUdpPool",
                $"Connection draining applies to TCP, UDP and QUIC pools, not to a {poolProtocol.WireName()} pool."));
        }
        return drain.Timeout is < 10 or > 4000
            ? (null, RuleViolation.Invalid("ELB.InvalidConnectionDrainTimeout", $"Connection drain timeout {drain.Timeout} s is outside 10-4000 s."))
            : (drain, null);
    }

    public static (SlowStartSettings? Settings, RuleViolation? Violation) SlowStart(LoadBalancer loadBalancer,
        Protocol poolProtocol, LbAlgorithm algorithm, SlowStartInput? input, SlowStartSettings current)
    {
        var settings = input is null
            ? current
            : new SlowStartSettings(input.Enable ?? current.Enable, input.Duration ?? current.Duration);
        if (!settings.Enable) return (settings, null);
        return SlowStartRules.CanEnable(loadBalancer, poolProtocol, algorithm, settings.Duration) is { } refused
            ? (null, refused)
            : (settings, null);
    }

    /// <summary>Rule 15: SOURCE_IP for TCP/UDP pools, HTTP_COOKIE or APP_COOKIE (with a cookie name) for HTTP/HTTPS.</summary>
    public static (SessionPersistence? Persistence, RuleViolation? Violation) Stickiness(Protocol poolProtocol,
        SessionPersistenceInput? input)
    {
        if (input is null) return (null, null);
        if (string.IsNullOrWhiteSpace(input.Type)) return (null, RuleViolation.MissingField("session_persistence.type"));

        var layer7 = poolProtocol is Protocol.Http or Protocol.Https;
        var allowed = layer7 ? new[] { StickySessionType.HttpCookie, StickySessionType.AppCookie } : [StickySessionType.SourceIp];
        if (!WireNames<StickySessionType>.TryParse(input.Type, out var type))
        {
            return (null, RuleViolation.Invalid("ELB.UnsupportedStickySession",
                $"Sticky session type '{input.Type}' is not one of {WireNames<StickySessionType>.All}."));
        }
        if (!allowed.Contains(type))
        {
            return (null, RuleViolation.Conflict("ELB.StickySessionProtocolMismatch",
                $"A {poolProtocol.WireName()} pool supports sticky sessions of type {string.Join(" or ", allowed.Select(a => a.WireName()))}, not {input.Type}."));
        }
        if (type == StickySessionType.AppCookie && string.IsNullOrWhiteSpace(input.CookieName))
        {
            return (null, RuleViolation.MissingField("session_persistence.cookie_name"));
        }
        if (type != StickySessionType.AppCookie && input.CookieName is not null)
        {
            return (null, RuleViolation.Invalid("ELB.CookieNameNotAllowed",
                $"cookie_name is only for APP_COOKIE sticky sessions, not for {input.Type}."));
        }
        if (input.CookieName is { } cookie && !cookie.All(c => char.IsAsciiLetterOrDigit(c) || "-_.".Contains(c)))
        {
            return (null, RuleViolation.Invalid("ELB.InvalidCookieName",
                $"Cookie name '{cookie}' may only contain letters, digits, '-', '_' and '.'."));
        }
        var (defaultTimeout, maxTimeout) = layer7 ? (1440, 1440) : (1, 60);
        var timeout = input.PersistenceTimeout ?? defaultTimeout;
        if (timeout < 1 || timeout > maxTimeout)
        {
            return (null, RuleViolation.Invalid("ELB.InvalidPersistenceTimeout",
                $"persistence_timeout {timeout} min is outside 1-{maxTimeout} min for a {poolProtocol.WireName()} pool."));
        }
        return (new SessionPersistence(type, input.CookieName, timeout), null);
    }
}
