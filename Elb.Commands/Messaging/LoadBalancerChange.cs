using Elb.Commands.LoadBalancers;

namespace Elb.Commands.Messaging;

/// <summary>
/// One event of a load balancer's stream as it crosses the internal feed to data-plane nodes, with the stream version a consumer needs
/// to apply events in order, drop duplicates and notice gaps. Commands send them in <see cref="LoadBalancerChanges"/>; a
/// node also takes one alone (what an earlier gateway's outbox may still hold).
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

/// <summary>
/// What one command changed of one load balancer, in version order, as one message from the command's outbox
/// (<see cref="NodeFeed"/>): a batch of members added, or a cascade deleted, is one outbox row, one publish and one
/// delivery per node, not one per event.
/// </summary>
public sealed record LoadBalancerChanges(Guid LoadBalancerId, IReadOnlyList<LoadBalancerChange> Changes)
{
    /// <summary><c>&lt;loadbalancer_id&gt;.&lt;EventType&gt;</c> when every change is of one type, else <c>&lt;loadbalancer_id&gt;.Changes</c>.</summary>
    public string RoutingKey => Changes.Select(c => c.Type).Distinct().Count() == 1
        ? Changes[0].RoutingKey
        : $"{LoadBalancerId}.{nameof(Changes)}";
}
