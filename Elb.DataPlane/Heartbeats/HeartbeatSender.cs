using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Traffic;
using Wolverine;
using Wolverine.Runtime;

namespace Elb.DataPlane.Heartbeats;

public sealed class HeartbeatOptions
{
    public string NodeId { get; set; } = "node1";
    public string AdminUrl { get; set; } = "";
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// Tells the gateway every few seconds that this node lives, how far it has applied each load balancer, and where it
/// serves listeners (its VIP map, and those it cannot serve).
/// </summary>
public sealed class HeartbeatSender(HeartbeatOptions options, RoutingTable table, ListenerManager listeners,
    TrafficOptions traffic, IWolverineRuntime wolverine, TimeProvider time, ILogger<HeartbeatSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await new MessageBus(wolverine).PublishAsync(Beat());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Heartbeat not sent: {Error}", e.Message);
            }
        }
    }

    public DataPlaneHeartbeat Beat()
    {
        var state = table.Current;
        return new DataPlaneHeartbeat(options.NodeId, options.AdminUrl, time.GetUtcNow(),
            state.LoadBalancers.Values.ToDictionary(lb => lb.Id, lb => new LoadBalancerProgress(lb.Version, RoutingDigest.Of(lb))),
            traffic.Vips.Rules, listeners.Unserved.Take(DataPlaneHeartbeat.MaxUnservedReported).ToDictionary());
    }
}
