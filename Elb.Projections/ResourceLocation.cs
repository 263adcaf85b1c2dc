using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Marten;
using Marten.Events.Projections;

namespace Elb.Projections;

public static class ResourceKind
{
    public const string LoadBalancer = "loadbalancer";
    public const string Listener = "listener";
    public const string Pool = "pool";
    public const string Member = "member";
    public const string HealthMonitor = "healthmonitor";
}

/// <summary>
/// Where a listener, pool, member or health monitor lives: the load balancer stream that holds it. For members also
/// the address and server, indexed, so "which load balancers serve this backend server" is one indexed query. A load
/// balancer's own location names its project and outlives it, so the project's history is found by one indexed query,
/// deleted load balancers included.
/// </summary>
public sealed record ResourceLocation(
    Guid Id,
    string Kind,
    string ProjectId,
    Guid LoadBalancerId,
    Guid? PoolId,
    string? InstanceId,
    string? Address = null);

public sealed partial class ResourceLocationProjection : EventProjection
{
    public ResourceLocationProjection() => Options.BatchSize = ElbProjections.RebuildBatchSize;

    public ResourceLocation Create(LoadBalancerCreated e) =>
        new(e.LoadBalancerId, ResourceKind.LoadBalancer, e.ProjectId, e.LoadBalancerId, null, null);

    public ResourceLocation Create(ListenerCreated e) =>
        new(e.ListenerId, ResourceKind.Listener, e.ProjectId, e.LoadBalancerId, null, null);

    public ResourceLocation Create(BackendServerGroupCreated e) =>
        new(e.PoolId, ResourceKind.Pool, e.ProjectId, e.LoadBalancerId, e.PoolId, null);

    public ResourceLocation Create(BackendServerAdded e) =>
        new(e.MemberId, ResourceKind.Member, e.ProjectId, e.LoadBalancerId, e.PoolId, e.InstanceId, e.Address);

    public ResourceLocation Create(HealthMonitorCreated e) =>
        new(e.HealthMonitorId, ResourceKind.HealthMonitor, e.ProjectId, e.LoadBalancerId, e.PoolId, null);

    public void Project(ListenerDeleted e, IDocumentOperations operations) => operations.Delete<ResourceLocation>(e.ListenerId);

    public void Project(BackendServerGroupDeleted e, IDocumentOperations operations) => operations.Delete<ResourceLocation>(e.PoolId);

    public void Project(BackendServerRemoved e, IDocumentOperations operations) => operations.Delete<ResourceLocation>(e.MemberId);

    public void Project(HealthMonitorDeleted e, IDocumentOperations operations) =>
        operations.Delete<ResourceLocation>(e.HealthMonitorId);
}
