using System.Text.Json.Serialization;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using JasperFx.Events;

namespace Elb.Commands.PublicEvents;

/// <summary>
/// A CloudEvents 1.0 event in structured JSON mode: what subscribers receive on <c>elb.events</c> and from the
/// catch-up feed. <c>sequence</c> (the global event sequence) orders and de-duplicates; <c>streamversion</c> is the
/// version within the load balancer's stream.
/// </summary>
public sealed record CloudEvent(
    [property: JsonPropertyName("specversion")] string SpecVersion,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("datacontenttype")] string DataContentType,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("streamversion")] long StreamVersion,
    [property: JsonPropertyName("projectid")] string ProjectId,
    [property: JsonPropertyName("loadbalancerid")] Guid LoadBalancerId,
    [property: JsonPropertyName("data")] object Data)
{
    public const string ContentType = "application/cloudevents+json";

    /// <summary><c>&lt;project_id&gt;.&lt;loadbalancer_id&gt;.&lt;type&gt;</c>: bind one project, one load balancer or one type.</summary>
    [JsonIgnore]
    public string RoutingKey => $"{ProjectId}.{LoadBalancerId}.{Type}";
}

/// <summary>Maps each internal event to its public type, subject and versioned payload.</summary>
public static class PublicEventContract
{
    public static CloudEvent ToCloudEvent(IEvent e, ILoadBalancerEvent data)
    {
        var (type, subject, payload) = Map(data);
        return new CloudEvent("1.0", e.Id.ToString(), $"/v3/{data.ProjectId}/elb/loadbalancers/{data.LoadBalancerId}",
            type, subject.ToString(), e.Timestamp, "application/json", e.Sequence, e.Version, data.ProjectId,
            data.LoadBalancerId, payload);
    }

    public static (string Type, Guid Subject, object Data) Map(ILoadBalancerEvent e) => e switch
    {
        LoadBalancerCreated x => ("elb.loadbalancer.created.v1", x.LoadBalancerId, new LoadBalancerCreatedV1(x.LoadBalancerId,
            x.ProjectId, x.Name, x.Description, x.VpcId, x.VipSubnetCidrId, x.AvailabilityZoneList, x.Guaranteed, x.IpTargetEnable, x.CreatedAt,
            x.VipAddress)),
        LoadBalancerUpdated x => ("elb.loadbalancer.updated.v1", x.LoadBalancerId, new LoadBalancerUpdatedV1(x.LoadBalancerId, x.Name, x.Description, x.UpdatedAt)),
        IpAsBackendEnabled x => ("elb.loadbalancer.ip_target_enabled.v1", x.LoadBalancerId, new IpTargetEnabledV1(x.LoadBalancerId, x.EnabledAt)),
        LoadBalancerDeleted x => ("elb.loadbalancer.deleted.v1", x.LoadBalancerId, new LoadBalancerDeletedV1(x.LoadBalancerId, x.DeletedAt)),
        ListenerCreated x => ("elb.listener.created.v1", x.ListenerId, new ListenerCreatedV1(x.ListenerId, x.LoadBalancerId, x.Name,
            x.Description, x.Protocol, x.ProtocolPort, x.DefaultPoolId, x.CreatedAt, x.DefaultTlsContainerRef, x.SniContainerRefs ?? [])),
        ListenerUpdated x => ("elb.listener.updated.v1", x.ListenerId, new ListenerUpdatedV1(x.ListenerId, x.LoadBalancerId, x.Name,
            x.Description, x.DefaultPoolId, x.UpdatedAt, x.DefaultTlsContainerRef, x.SniContainerRefs ?? [])),
        ListenerDeleted x => ("elb.listener.deleted.v1", x.ListenerId, new ListenerDeletedV1(x.ListenerId, x.LoadBalancerId, x.DeletedAt)),
        BackendServerGroupCreated x => ("elb.pool.created.v1", x.PoolId, new PoolCreatedV1(x.PoolId, x.LoadBalancerId, x.ListenerId, x.Name,
            x.Description, x.Protocol, x.LbAlgorithm, x.Type, Stickiness(x.SessionPersistence), SlowStart(x.SlowStart),
            x.MemberDeletionProtectionEnable, x.CreatedAt)),
        BackendServerGroupUpdated x => ("elb.pool.updated.v1", x.PoolId, new PoolUpdatedV1(x.PoolId, x.LoadBalancerId, x.Name,
            x.Description, x.LbAlgorithm, Stickiness(x.SessionPersistence), SlowStart(x.SlowStart),
            x.MemberDeletionProtectionEnable, x.UpdatedAt)),
        BackendServerGroupDeleted x => ("elb.pool.deleted.v1", x.PoolId, new PoolDeletedV1(x.PoolId, x.LoadBalancerId, x.DeletedAt)),
        BackendServerAdded x => ("elb.member.added.v1", x.MemberId, new MemberAddedV1(x.MemberId, x.PoolId, x.LoadBalancerId,
            x.Name, x.Address, x.ProtocolPort, x.Weight, x.MemberType, x.InstanceId, x.AvailabilityZone, x.OperatingStatus, x.AddedAt)),
        BackendServerUpdated x => ("elb.member.updated.v1", x.MemberId, new MemberUpdatedV1(x.MemberId, x.PoolId, x.LoadBalancerId,
            x.Name, x.Weight, x.UpdatedAt)),
        BackendServerRemoved x => ("elb.member.removed.v1", x.MemberId, new MemberRemovedV1(x.MemberId, x.PoolId, x.LoadBalancerId, x.RemovedAt)),
        BackendServerPowerChanged x => ("elb.member.server_power_changed.v1", x.MemberId, new MemberServerPowerChangedV1(x.MemberId,
            x.PoolId, x.LoadBalancerId, x.ServerId, x.Action, x.ChangedAt)),
        MemberHealthChanged x => ("elb.member.health_changed.v1", x.MemberId, new MemberHealthChangedV1(x.MemberId, x.PoolId,
            x.LoadBalancerId, x.OperatingStatus, x.NodeId, x.ObservedAt)),
        SlowStartBegan x => ("elb.member.slow_start_began.v1", x.MemberId, new MemberSlowStartBeganV1(x.MemberId, x.PoolId,
            x.LoadBalancerId, x.StartedAt, x.StartedAt.AddSeconds(x.Duration))),
        HealthMonitorCreated x => ("elb.healthmonitor.created.v1", x.HealthMonitorId, Monitor(x.HealthMonitorId, x.PoolId, x.LoadBalancerId, x.Settings, x.CreatedAt)),
        HealthMonitorUpdated x => ("elb.healthmonitor.updated.v1", x.HealthMonitorId, Monitor(x.HealthMonitorId, x.PoolId, x.LoadBalancerId, x.Settings, x.UpdatedAt)),
        HealthMonitorDeleted x => ("elb.healthmonitor.deleted.v1", x.HealthMonitorId, new HealthMonitorDeletedV1(x.HealthMonitorId,
            x.PoolId, x.LoadBalancerId, x.DeletedAt)),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Every load balancer event needs a public mapping."),
    };

    private static SessionPersistenceV1? Stickiness(SessionPersistence? s) =>
        s is null ? null : new SessionPersistenceV1(s.Type, s.CookieName, s.PersistenceTimeout);

    private static SlowStartV1 SlowStart(SlowStartSettings s) => new(s.Enable, s.Duration);

    private static HealthMonitorV1 Monitor(Guid id, Guid poolId, Guid loadBalancerId, HealthCheckSettings s, DateTimeOffset at) =>
        new(id, poolId, loadBalancerId, s.Type, s.Delay, s.Timeout, s.MaxRetries, s.MaxRetriesDown, s.UrlPath, s.ExpectedCodes,
            s.AdminStateUp, at);
}
