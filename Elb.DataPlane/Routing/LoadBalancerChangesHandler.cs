using Elb.Commands.Messaging;
using Elb.DataPlane.Traffic;

namespace Elb.DataPlane.Routing;

public static class LoadBalancerChangesHandler
{
    /// <summary>One command's changes of one load balancer, applied one after another as if each had come alone.</summary>
    public static async Task Handle(LoadBalancerChanges changes, RoutingTable table, GapGrace gaps,
        MemberConnections connections, ConvergenceMetrics metrics, CancellationToken cancellation)
    {
        foreach (var change in changes.Changes)
        {
            await LoadBalancerChangeHandler.Handle(change, table, gaps, connections, metrics, cancellation);
        }
    }
}
