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
public sealed class DigestReconciler(RoutingTable table, ControlPlaneClient controlPlane, NodeFaults faults, DigestCheckOptions options, TimeProvider time, ILogger<DigestReconciler> logger) : BackgroundService
{
    private const string Part = "digest check";

    private readonly DigestDrift _drift = new();

    // Made with the service rather than in ExecuteAsync (which runs on the thread pool): its ticks count from a
    // known instant, so a test's clock can move right after start.
    private readonly PeriodicTimer _timer = new(options.Interval, time);

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
                faults.Clear(Part);
            }
            // The gateway unreachable, say: the next tick tries again; it must never stop the node.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                faults.Report(Part, e);
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellation)
    {
        var controlPlaneDigests = await controlPlane.GetDigestsAsync(cancellation);
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
