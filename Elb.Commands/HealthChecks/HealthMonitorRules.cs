using System.Text.RegularExpressions;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;

namespace Elb.Commands.HealthChecks;

public sealed record HealthMonitorInput(
    Guid? PoolId,
    string? Name,
    string? Type,
    int? Delay,
    int? Timeout,
    int? MaxRetries,
    int? MaxRetriesDown,
    string? UrlPath,
    string? ExpectedCodes,
    bool? AdminStateUp);

public static partial class HealthMonitorRules
{
    public const int DefaultMaxRetriesDown = 3;

    [GeneratedRegex(@"^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$")]
    private static partial Regex ExpectedCodesPattern();

    /// <summary>Checks a monitor's settings, with <paramref name="current"/> filling what an update leaves out.</summary>
    public static (HealthCheckSettings? Settings, RuleViolation? Violation) Settle(Pool pool, HealthMonitorInput input,
        HealthCheckSettings? current)
    {
        var delay = input.Delay ?? current?.Delay;
        var timeout = input.Timeout ?? current?.Timeout;
        var maxRetries = input.MaxRetries ?? current?.MaxRetries;
        if (input.Type is null && current is null) return (null, RuleViolation.MissingField("healthmonitor.type"));
        if (delay is null) return (null, RuleViolation.MissingField("healthmonitor.delay"));
        if (timeout is null) return (null, RuleViolation.MissingField("healthmonitor.timeout"));
        if (maxRetries is null) return (null, RuleViolation.MissingField("healthmonitor.max_retries"));
        HealthMonitorType type;
        if (input.Type is null) type = current!.Type; // an update that leaves the type out keeps it (checked above)
        else if (KnownType(input.Type, out type) is { } unknown) return (null, unknown);
        var udpPool = pool.Protocol is Protocol.Udp or Protocol.Quic;
        if (udpPool != (type == HealthMonitorType.UdpConnect))
        {
            return (null, RuleViolation.Conflict("ELB.HealthMonitorTypeMismatch", udpPool
                ? $"A {pool.Protocol.WireName()} pool is checked with UDP_CONNECT, not {type.WireName()}."
                : $"UDP_CONNECT checks only UDP and QUIC pools, not a {pool.Protocol.WireName()} pool."));
        }
        var maxRetriesDown = input.MaxRetriesDown ?? current?.MaxRetriesDown ?? DefaultMaxRetriesDown;
        var outOfRange = OutOfRange("delay", delay.Value, 1, 50, "s") ?? OutOfRange("timeout", timeout.Value, 1, 50, "s")
            ?? OutOfRange("max_retries", maxRetries.Value, 1, 10, "") ?? OutOfRange("max_retries_down", maxRetriesDown, 1, 10, "");
        if (outOfRange is not null) return (null, outOfRange);
        if (timeout > delay)
        {
            return (null, RuleViolation.Invalid("ELB.HealthMonitorTimeoutExceedsDelay",
                $"Health check timeout {timeout} s must not exceed its delay {delay} s."));
        }
        var urlPath = input.UrlPath ?? current?.UrlPath ?? "/";
        if (!urlPath.StartsWith('/') || urlPath.Any(char.IsWhiteSpace))
        {
            return (null, RuleViolation.Invalid("ELB.InvalidUrlPath", $"url_path '{urlPath}' must start with '/' and contain no spaces."));
        }
        var expectedCodes = input.ExpectedCodes ?? current?.ExpectedCodes ?? "200";
        if (!ExpectedCodesAreValid(expectedCodes))
        {
            return (null, RuleViolation.Invalid("ELB.InvalidExpectedCodes",
                $"expected_codes '{expectedCodes}' must be HTTP status codes 200-599 like 200, 200,202 or 200-204."));
        }

        return (new HealthCheckSettings(input.Name ?? current?.Name ?? "", type, delay.Value, timeout.Value,
            maxRetries.Value, maxRetriesDown, urlPath, expectedCodes, input.AdminStateUp ?? current?.AdminStateUp ?? true), null);
    }

    /// <summary>The type a request names: the request keeps it as text, so that an unknown one is refused here, by name.</summary>
    public static RuleViolation? KnownType(string text, out HealthMonitorType type) => WireNames<HealthMonitorType>.TryParse(text, out type)
        ? null
        : RuleViolation.Invalid("ELB.UnsupportedHealthMonitorType",
            $"Health monitor type '{text}' is not one of {WireNames<HealthMonitorType>.All}.");

    public static bool ExpectedCodesAreValid(string codes) =>
        ExpectedCodesPattern().IsMatch(codes) && Ranges(codes).All(r => r.From is >= 200 and <= 599 && r.To <= 599 && r.From <= r.To);

    /// <summary>Whether an HTTP check answered with an expected status (<c>200</c>, <c>200,202</c>, <c>200-204</c>).</summary>
    public static bool Expects(string expectedCodes, int status) => Ranges(expectedCodes).Any(r => status >= r.From && status <= r.To);

    private static IEnumerable<(int From, int To)> Ranges(string codes) => codes.Split(',').Select(part =>
    {
        var bounds = part.Split('-').Select(int.Parse).ToArray();
        return (bounds[0], bounds[^1]);
    });

    private static RuleViolation? OutOfRange(string field, int value, int min, int max, string unit) =>
        value < min || value > max
            ? RuleViolation.Invalid("ELB.HealthMonitorOutOfRange", $"{field} {value}{(unit == "" ? "" : " " + unit)} is outside {min}-{max}.")
            : null;

    /// <summary>
    /// What a monitor change does to member statuses: with checks switched off members are NO_MONITOR and take
    /// traffic; when checks start, members that were taking traffic stay in (ONLINE) until a check says otherwise,
    /// so adding a monitor never causes an outage by itself.
    /// </summary>
    public static Pool ApplyMonitor(Pool pool, HealthMonitor? monitor, DateTimeOffset at)
    {
        var next = pool with { HealthMonitor = monitor, UpdatedAt = at };
        return (pool.IsMonitored, next.IsMonitored) switch
        {
            (true, false) => next.WithAllMembers(m => m with { OperatingStatus = MemberOperatingStatus.NoMonitor }),
            (false, true) => next.WithAllMembers(m => m with { OperatingStatus = MemberOperatingStatus.Online }),
            _ => next,
        };
    }

    /// <summary>Rule 10: without health checks, members waiting for their first healthy report start slow start now.</summary>
    public static IEnumerable<ILoadBalancerEvent> PendingSlowStartsBeginWhenUnmonitored(LoadBalancer loadBalancer,
        Pool pool, bool monitoredAfter, DateTimeOffset now) =>
        monitoredAfter
            ? []
            : pool.Members.Where(m => m.SlowStart.Phase == SlowStartPhase.Pending)
                .Select(m => SlowStart.SlowStartRules.Begin(loadBalancer, pool, m.Id, now));
}
