using Elb.Commands.Messaging;

namespace Elb.DataPlane.Routing;

public static class LoadBalancerChangeHandler
{
    /// <summary>
    /// Applies the change in version order. A gap (a lost message, or a change published before this node loaded
    /// its state) is closed by loading that load balancer from the control plane, which always holds at least
    /// this change because events are published only after they commit.
    /// </summary>
    public static async Task Handle(LoadBalancerChange change, RoutingTable table, ControlPlaneClient controlPlane,
        ILogger<RoutingTable> logger, CancellationToken cancellation)
    {
        if (table.Apply(change) != ChangeOutcome.Gap) return;

        logger.LogInformation("Gap at version {Version} of load balancer {LoadBalancerId}: loading its snapshot",
            change.Version, change.LoadBalancerId);
        if (await controlPlane.GetAsync(change.LoadBalancerId, cancellation) is { } snapshot)
        {
            table.Load(snapshot);
            table.Apply(change);
        }
        else
        {
            table.Forget(change.LoadBalancerId, change.Version);
        }
    }
}
