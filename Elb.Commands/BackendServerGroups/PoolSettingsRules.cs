using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;

namespace Elb.Commands.BackendServerGroups;

public sealed record SessionPersistenceInput(string? Type, string? CookieName, int? PersistenceTimeout);

public sealed record SlowStartInput(bool? Enable, int? Duration);

public sealed record ConnectionDrainInput(bool? Enable, int? Timeout);

/// <summary>Validates the settings a pool can be created or updated with, against its load balancer.</summary>
public static class PoolSettingsRules
{
    public static readonly string[] Algorithms = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"];
    public static readonly string[] Types = ["instance", "ip", ""];

    public const string StickySessionWarning =
        "Sticky sessions may make the proportions of requests processed by backend servers unbalanced. " +
        "If that happens, disable sticky sessions and check the requests received by each backend server.";

    public static RuleViolation? KnownAlgorithm(string algorithm) => Algorithms.Contains(algorithm)
        ? null
        : RuleViolation.Invalid("ELB.UnsupportedAlgorithm",
            $"Load balancing algorithm '{algorithm}' is not one of {string.Join(", ", Algorithms)}.");

    /// <summary>Connection draining applies to TCP, UDP and QUIC pools, for 10–4000 s (ELB v3).</summary>
    public static (ConnectionDrain? Drain, RuleViolation? Violation) Drain(string poolProtocol, ConnectionDrainInput? input,
        ConnectionDrain current)
    {
        var drain = input is null ? current : new ConnectionDrain(input.Enable ?? current.Enable, input.Timeout ?? current.Timeout);
        if (!drain.Enable) return (drain, null);
        if (poolProtocol is not ("TCP" or "UDP" or "QUIC"))
        {
            return (null, RuleViolation.Conflict("ELB.ConnectionDrainNeedsTcpOrUdpPool",
                $"Connection draining applies to TCP, UDP and QUIC pools, not to a {poolProtocol} pool."));
        }
        return drain.Timeout is < 10 or > 4000
            ? (null, RuleViolation.Invalid("ELB.InvalidConnectionDrainTimeout", $"Connection drain timeout {drain.Timeout} s is outside 10-4000 s."))
            : (drain, null);
    }

    public static (SlowStartSettings? Settings, RuleViolation? Violation) SlowStart(LoadBalancer loadBalancer,
        string poolProtocol, string algorithm, SlowStartInput? input, SlowStartSettings current)
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
    public static (SessionPersistence? Persistence, RuleViolation? Violation) Stickiness(string poolProtocol,
        SessionPersistenceInput? input)
    {
        if (input is null) return (null, null);
        if (string.IsNullOrWhiteSpace(input.Type)) return (null, RuleViolation.MissingField("session_persistence.type"));

        var layer7 = poolProtocol is "HTTP" or "HTTPS";
        var allowed = layer7 ? new[] { "HTTP_COOKIE", "APP_COOKIE" } : ["SOURCE_IP"];
        if (input.Type is not ("SOURCE_IP" or "HTTP_COOKIE" or "APP_COOKIE"))
        {
            return (null, RuleViolation.Invalid("ELB.UnsupportedStickySession",
                $"Sticky session type '{input.Type}' is not one of SOURCE_IP, HTTP_COOKIE, APP_COOKIE."));
        }
        if (!allowed.Contains(input.Type))
        {
            return (null, RuleViolation.Conflict("ELB.StickySessionProtocolMismatch",
                $"A {poolProtocol} pool supports sticky sessions of type {string.Join(" or ", allowed)}, not {input.Type}."));
        }
        if (input.Type == "APP_COOKIE" && string.IsNullOrWhiteSpace(input.CookieName))
        {
            return (null, RuleViolation.MissingField("session_persistence.cookie_name"));
        }
        if (input.Type != "APP_COOKIE" && input.CookieName is not null)
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
                $"persistence_timeout {timeout} min is outside 1-{maxTimeout} min for a {poolProtocol} pool."));
        }
        return (new SessionPersistence(input.Type, input.CookieName, timeout), null);
    }
}
