using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;

namespace Elb.Tests;

/// <summary>Builds load balancer states from real events, the way both planes do. Linked into every unit-test project.</summary>
public static class Scenario
{
    public const string Project = "project-a";
    public const string Vpc = "vpc-1";
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    public static readonly Guid LoadBalancerId = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    public static readonly Guid PoolId = Guid.Parse("00000000-0000-0000-0000-0000000000b1");
    public static readonly IReadOnlyDictionary<Guid, Elb.Commands.Certificates.Certificate> NoCertificates =
        new Dictionary<Guid, Elb.Commands.Certificates.Certificate>();

    public static readonly Guid ListenerId = Guid.Parse("00000000-0000-0000-0000-0000000000d1");
    public static readonly Guid MonitorId = Guid.Parse("00000000-0000-0000-0000-0000000000e1");

    /// <summary><paramref name="e"/> as the nodes' feed carries it, at <paramref name="version"/> of the load balancer's stream.</summary>
    public static LoadBalancerChange Change(long version, ILoadBalancerEvent e) =>
        new(Guid.NewGuid(), LoadBalancerId, version, e.GetType().Name, Now, e);

    public static LoadBalancerCreated Created(bool guaranteed = true, bool ipTargetEnable = false,
        string[]? zones = null) =>
        new(LoadBalancerId, Project, "web", "", Vpc, "subnet-1", zones ?? ["az-1", "az-2"], guaranteed, ipTargetEnable, Now);

    public static ListenerCreated ListenerCreated(Protocol protocol = Protocol.Http, int port = 80, Guid? id = null) =>
        new(id ?? ListenerId, Project, LoadBalancerId, "listener", "", protocol, port, null, Now);

    public static BackendServerGroupCreated PoolCreated(Protocol protocol = Protocol.Http, LbAlgorithm algorithm = LbAlgorithm.RoundRobin,
        bool slowStart = false, string type = "", bool deletionProtection = false, SessionPersistence? sticky = null,
        Guid? id = null) =>
        new(id ?? PoolId, Project, LoadBalancerId, null, "pool", "", protocol, algorithm, type, sticky,
            new SlowStartSettings(slowStart, 60), deletionProtection, Now);

    public static BackendServerAdded MemberAdded(string address, int port = 80, int weight = 1, string? os = null,
        string? instanceId = null, string? zone = "az-1", MemberOperatingStatus status = MemberOperatingStatus.NoMonitor,
        bool entersSlowStart = false, Guid? id = null, Guid? poolId = null) =>
        new(id ?? Guid.NewGuid(), poolId ?? PoolId, Project, LoadBalancerId, "", address, port, weight,
            instanceId is null ? "ip" : "instance", instanceId, instanceId is null ? null : "subnet-1", zone, os, status,
            entersSlowStart, Now);

    public static HealthMonitorCreated MonitorCreated(bool adminStateUp = true, HealthMonitorType type = HealthMonitorType.Http) =>
        new(MonitorId, PoolId, Project, LoadBalancerId, new HealthCheckSettings("", type, 5, 3, 2, 3, "/", "200", adminStateUp), Now);

    public static LoadBalancer Evolve(params ILoadBalancerEvent[] events) =>
        events.Aggregate((LoadBalancer?)null, LoadBalancerStream.Evolve)!;

    public static Subnet Subnet(string id = "subnet-1", string cidr = "10.0.0.0/24", string vpc = Vpc) =>
        new(InventoryKey.Subnet(Project, id), id, Project, vpc, cidr, "az-1", Now, Now);

    public static Server Server(string id, string address, string os = "Linux", string subnetId = "subnet-1",
        ServerStatus status = ServerStatus.Running) =>
        new(InventoryKey.Server(Project, id), id, Project, id, subnetId, address, os, "az-1", status, Now, Now);
}
