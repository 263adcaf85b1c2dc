using Elb.Commands.Messaging;
using Elb.DataPlane.Traffic;

namespace Elb.DataPlane.Routing;

public static class LoadBalancerChangesHandler
{
    /// <summary>One command's changes of one load balancer, applied one after another as if each had come alone.</summary>
    public static async Task Handle(LoadBalancerChanges changes, RoutingTable table, ControlPlaneClient controlPlane,
        MemberConnections connections, ConvergenceMetrics metrics, ILogger<RoutingTable> logger, CancellationToken cancellation)
    {
        foreach (var change in changes.Changes)
        {
            await LoadBalancerChangeHandler.Handle(change, table, controlPlane, connections, metrics, logger, cancellation);
        }
    }
}
