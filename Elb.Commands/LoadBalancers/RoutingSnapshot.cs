namespace Elb.Commands.LoadBalancers;

/// <summary>
/// Every load balancer with the stream version it reflects: what the gateway answers a data-plane node that starts,
/// and what the node reads.
/// </summary>
public sealed record RoutingSnapshot(IReadOnlyList<LoadBalancer> LoadBalancers);
