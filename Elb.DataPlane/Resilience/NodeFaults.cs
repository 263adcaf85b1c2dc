using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Elb.DataPlane.Resilience;

/// <summary>
/// What in this node is failing now and retrying: a listener that cannot open, a relay's receive loop, a probe loop,
/// the digest check. Loops report here instead of letting an exception escape (a BackgroundService that throws stops
/// the host), so one failing part never takes the node or its other listeners down, and <c>/health</c> says what fails.
/// </summary>
public sealed class NodeFaults(TimeProvider time, ILogger<NodeFaults> logger)
{
    public sealed record Fault(string Error, DateTimeOffset Since, int Times);

    private readonly ConcurrentDictionary<string, Fault> _faults = new();

    public IReadOnlyDictionary<string, Fault> Current => _faults;

    /// <summary>
    /// Records that <paramref name="part"/> failed. Logged when it starts failing or fails otherwise than before, and
    /// only counted after that, so a loop failing every second does not flood the log.
    /// </summary>
    public void Report(string part, Exception error)
    {
        var message = $"{error.GetType().Name}: {error.Message}";
        var fault = _faults.AddOrUpdate(part, _ => new Fault(message, time.GetUtcNow(), 1),
            (_, known) => known.Error == message ? known with { Times = known.Times + 1 } : new Fault(message, time.GetUtcNow(), 1));
        if (fault.Times == 1) logger.LogError(error, "{Part} failed; retrying", part);
    }

    /// <summary>The part works (again).</summary>
    public void Clear(string part)
    {
        if (_faults.TryRemove(part, out var fault)) logger.LogInformation("{Part} works again after {Times} failures", part, fault.Times);
    }
}

/// <summary>Degraded, listing what fails, while any part of the node is failing and retrying; the node still serves.</summary>
public sealed class NodeFaultsCheck(NodeFaults faults) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation)
    {
        var current = faults.Current.ToArray();
        return Task.FromResult(current.Length == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{current.Length} part(s) of the node are failing and retrying",
                data: current.ToDictionary(f => f.Key, f => (object)$"{f.Value.Error} (since {f.Value.Since:O}, {f.Value.Times} times)")));
    }
}
