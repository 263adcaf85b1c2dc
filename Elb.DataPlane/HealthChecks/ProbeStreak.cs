using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.HealthChecks;

/// <summary>
/// One member's run of probe results, and the status a run settles. <c>max_retries</c> successes in a row settle
/// ONLINE (one for a member not yet seen healthy), <c>max_retries_down</c> failures in a row OFFLINE. A settled status
/// is returned only while it is not already both this node's verdict and the control plane's, both read at the time
/// of the probe: the control plane's changes under a running loop (another node's report, one posted by hand), so a
/// loop that compared with what it saw at its start would leave a dead member ONLINE for good.
/// </summary>
public sealed class ProbeStreak(HealthCheckSettings checks)
{
    private bool _lastHealthy;
    private int _run;
    private bool _seenHealthy;

    /// <summary>Counts one probe result; the status to apply and report, or null when nothing is to be done.</summary>
    /// <param name="local">The member's status on this node now (its own verdict, else the control plane's).</param>
    /// <param name="controlPlane">The member's status in this node's copy of the control plane's state now.</param>
    public MemberOperatingStatus? Observe(bool healthy, MemberOperatingStatus local, MemberOperatingStatus controlPlane)
    {
        _run = _run > 0 && healthy == _lastHealthy ? _run + 1 : 1;
        _lastHealthy = healthy;
        var needed = healthy ? (_seenHealthy ? checks.MaxRetries : 1) : checks.MaxRetriesDown;
        _seenHealthy |= healthy;
        var status = LocalHealth.StatusOf(healthy);
        if (_run < needed || (local == status && controlPlane == status)) return null;
        // A new run must settle again before the next report, so a report still on its way is not sent again per probe.
        _run = 0;
        return status;
    }
}
