using Elb.Commands.LoadBalancers;

namespace Elb.Commands.Messaging;

/// <summary>
/// One event of a load balancer's stream as it crosses the internal feed to data-plane nodes, with the stream version a consumer needs
/// to apply events in order, drop duplicates and notice gaps, and the global sequence to order across streams.
/// </summary>
public sealed record LoadBalancerChange(
    Guid EventId,
    Guid LoadBalancerId,
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset OccurredAt,
    ILoadBalancerEvent Event)
{
    /// <summary><c>&lt;loadbalancer_id&gt;.&lt;EventType&gt;</c>: bind <c>{id}.#</c> for one load balancer, <c>*.BackendServerAdded</c> for one type.</summary>
    public string RoutingKey => $"{LoadBalancerId}.{Type}";
}
