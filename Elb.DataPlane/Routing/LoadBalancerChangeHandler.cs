using Elb.Commands.Hosting;
using Elb.Commands.Inventory;
using Elb.Commands.Messaging;
using Elb.DataPlane.Traffic;

namespace Elb.DataPlane.Routing;

public static class LoadBalancerChangeHandler
{
    /// <summary>
    /// Applies the change in version order. A gap (a lost message, or a change published before this node loaded
    /// its state) is closed by loading that load balancer from the control plane, which always holds at least
    /// this change because events are published only after they commit.
    /// </summary>
    public static async Task Handle(LoadBalancerChange change, RoutingTable table, ControlPlaneClient controlPlane,
        MemberConnections connections, ConvergenceMetrics metrics, ILogger<RoutingTable> logger, CancellationToken cancellation)
    {
        // The last span of a command's trace: Wolverine's handling span, this span's parent, continues the command's send.
        using var applying = ElbTelemetry.Source.StartActivity("apply change");
        applying?.SetTag("elb.loadbalancer_id", change.LoadBalancerId.ToString());
        applying?.SetTag("elb.version", change.Version);
        var outcome = table.Apply(change);
        applying?.SetTag("elb.outcome", outcome.ToString());
        // A server stopped or restarted: its member's connections drop (once; a redelivered old change is a duplicate).
        if (outcome != ChangeOutcome.Duplicate && change.Event is BackendServerPowerChanged power) connections.Drop(power.MemberId);
        if (outcome == ChangeOutcome.Applied) metrics.Applied(change);
        if (outcome != ChangeOutcome.Gap) return;

        logger.LogInformation("Gap at version {Version} of load balancer {LoadBalancerId}: loading its snapshot",
            change.Version, change.LoadBalancerId);
        if (await controlPlane.GetAsync(change.LoadBalancerId, cancellation) is { } snapshot)
        {
            table.Load(snapshot);
            table.Apply(change);
            metrics.Applied(change);
        }
        else
        {
            table.Forget(change.LoadBalancerId, change.Version);
        }
    }
}
