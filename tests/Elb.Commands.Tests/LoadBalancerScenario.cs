using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;

namespace Elb.Commands.Tests;

/// <summary>Builds load balancer states by evolving real events, the way both planes do.</summary>
public static class LoadBalancerScenario
{
    public const string Project = "project-a";
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    public static readonly Guid LoadBalancerId = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    public static readonly Guid PoolId = Guid.Parse("00000000-0000-0000-0000-0000000000b1");

    public static LoadBalancerCreated Created() =>
        new(LoadBalancerId, Project, "web", "vpc-1", ["az-1", "az-2"], true, Now);

    public static BackendServerGroupCreated PoolCreated() =>
        new(PoolId, Project, LoadBalancerId, "web-pool", "HTTP", "ROUND_ROBIN", Now);

    public static BackendServerAdded MemberAdded(string address, int port = 80, int weight = 1) =>
        new(Guid.NewGuid(), PoolId, Project, LoadBalancerId, address, port, weight, Now);

    public static LoadBalancer Evolve(params ILoadBalancerEvent[] events) =>
        events.Aggregate((LoadBalancer?)null, LoadBalancerStream.Evolve)!;

    public static LoadBalancer WithPool() => Evolve(Created(), PoolCreated());
}
