using Elb.Commands.Hosting;
using Elb.Commands.Inventory;
using Elb.Commands.Messaging;
using Elb.DataPlane.Traffic;

namespace Elb.DataPlane.Routing;

public static class LoadBalancerChangeHandler
{
    /// <summary>
    /// Applies the change in version order. A gap (a lost message, a change published before this node loaded its
    /// state, or two commits arriving out of order) is held for a short grace (<see cref="GapGrace"/>), then closed by
    /// loading that load balancer from the control plane, which always holds at least this change because events are
    /// published only after they commit.
    /// </summary>
    public static async Task Handle(LoadBalancerChange change, RoutingTable table, GapGrace gaps,
        MemberConnections connections, ConvergenceMetrics metrics, CancellationToken cancellation)
    {
        // The last span of a command's trace: Wolverine's handling span, this span's parent, continues the command's send.
        using var applying = ElbTelemetry.Source.StartActivity("apply change");
        applying?.SetTag("elb.loadbalancer_id", change.LoadBalancerId.ToString());
        applying?.SetTag("elb.version", change.Version);
        var outcome = table.Apply(change);
        applying?.SetTag("elb.outcome", outcome.ToString());
        // A server stopped or restarted: its member's connections drop (once; a redelivered old change is a duplicate).
        if (outcome != ChangeOutcome.Duplicate && change.Event is BackendServerPowerChanged power) connections.Drop(power.MemberId);
        if (outcome == ChangeOutcome.Applied)
        {
            metrics.Applied(change);
            gaps.ApplyFollowing(change.LoadBalancerId);
        }
        else if (outcome == ChangeOutcome.Gap)
        {
            await gaps.HoldAsync(change, cancellation);
        }
    }
}
