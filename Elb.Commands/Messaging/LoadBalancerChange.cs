using Elb.Commands.LoadBalancers;

namespace Elb.Commands.Messaging;

/// <summary>
/// One event of a load balancer's stream as it crosses the internal feed to data-plane nodes, with the stream version a consumer needs
/// to apply events in order, drop duplicates and notice gaps. Sent from the command's outbox (<see cref="NodeFeed"/>).
/// </summary>
public sealed record LoadBalancerChange(
    Guid EventId,
    Guid LoadBalancerId,
    long Version,
    string Type,
    DateTimeOffset OccurredAt,
    ILoadBalancerEvent Event)
{
    /// <summary><c>&lt;loadbalancer_id&gt;.&lt;EventType&gt;</c>: bind <c>{id}.#</c> for one load balancer, <c>*.BackendServerAdded</c> for one type.</summary>
    public string RoutingKey => $"{LoadBalancerId}.{Type}";
}
