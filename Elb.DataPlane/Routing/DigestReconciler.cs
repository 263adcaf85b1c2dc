using Elb.Commands.Hosting;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Resilience;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Heals this node by itself: every <c>DataPlane:DigestCheckSeconds</c> (30) it compares its load balancers' digests
/// with the control plane's, and reloads from the gateway those that differ at two checks in a row (<see
/// cref="DigestDrift"/>). Without it a lost final event leaves a load balancer stale until its next change, since
/// only a later event reveals the gap. Its first check comes an interval after start, when the node has long loaded
/// its snapshot; were it still loading, two checks would see that it caught up.
/// </summary>
public sealed class DigestReconciler(RoutingTable table, ControlPlaneClient controlPlane, NodeFaults faults, ConvergenceMetrics metrics,
    DigestCheckOptions options, TimeProvider time, ILogger<DigestReconciler> logger)
    : PeriodicWork(options.Interval, time)
{
    private const string Part = "digest check";

    private readonly DigestDrift _drift = new();

    protected override void OnSucceeded() => faults.Clear(Part);

    // The gateway unreachable, say: the next tick tries again.
    protected override void OnFailed(Exception failure) => faults.Report(Part, failure);

    protected override async Task RunOnceAsync(CancellationToken cancellation)
    {
        var controlPlaneDigests = await controlPlane.GetDigestsAsync(cancellation);
        metrics.ControlPlaneListed(controlPlaneDigests);
        var copies = table.Current.LoadBalancers.Values.Select(RoutingDigestEntry.Of).ToList();
        foreach (var loadBalancerId in _drift.Check(controlPlaneDigests, copies))
        {
            logger.LogWarning("Load balancer {LoadBalancerId} differs from the control plane's at two checks in a row: reloading it",
                loadBalancerId);
            if (await controlPlane.GetAsync(loadBalancerId, cancellation) is { } snapshot) table.Replace(snapshot);
            else table.Forget(loadBalancerId, table.Current.AppliedVersion(loadBalancerId));
        }
    }
}

public sealed record DigestCheckOptions(TimeSpan Interval)
{
    public static DigestCheckOptions From(IConfiguration configuration) =>
        new(TimeSpan.FromSeconds(configuration.GetValue("DataPlane:DigestCheckSeconds", 30.0)));
}
