using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;

namespace Elb.Commands.PublicEvents;

// The public payloads, version 1. They are Elb's promise to subscribers and change only by adding a new version:
// internal events may be renamed or reshaped freely, as long as they still map to these (docs/events.md pins each).

public sealed record LoadBalancerCreatedV1(Guid LoadBalancerId, string ProjectId, string Name, string Description,
    string VpcId, string? VipSubnetCidrId, IReadOnlyList<string> AvailabilityZoneList, bool Guaranteed,
    bool IpTargetEnable, DateTimeOffset CreatedAt, string? VipAddress);

public sealed record LoadBalancerUpdatedV1(Guid LoadBalancerId, string Name, string Description, DateTimeOffset UpdatedAt);

public sealed record IpTargetEnabledV1(Guid LoadBalancerId, DateTimeOffset EnabledAt);

public sealed record LoadBalancerDeletedV1(Guid LoadBalancerId, DateTimeOffset DeletedAt);

public sealed record ListenerCreatedV1(Guid ListenerId, Guid LoadBalancerId, string Name, string Description,
    Protocol Protocol, int ProtocolPort, Guid? DefaultPoolId, DateTimeOffset CreatedAt, Guid? DefaultTlsContainerRef,
    IReadOnlyList<Guid> SniContainerRefs);

public sealed record ListenerUpdatedV1(Guid ListenerId, Guid LoadBalancerId, string Name, string Description,
    Guid? DefaultPoolId, DateTimeOffset UpdatedAt, Guid? DefaultTlsContainerRef, IReadOnlyList<Guid> SniContainerRefs);

public sealed record ListenerDeletedV1(Guid ListenerId, Guid LoadBalancerId, DateTimeOffset DeletedAt);

public sealed record SessionPersistenceV1(StickySessionType Type, string? CookieName, int PersistenceTimeout);

public sealed record SlowStartV1(bool Enable, int Duration);

public sealed record PoolCreatedV1(Guid PoolId, Guid LoadBalancerId, Guid? ListenerId, string Name, string Description,
    Protocol Protocol, LbAlgorithm LbAlgorithm, string Type, SessionPersistenceV1? SessionPersistence, SlowStartV1 SlowStart,
    bool MemberDeletionProtectionEnable, DateTimeOffset CreatedAt);

/// <summary>The pool's changeable settings after the update, whole.</summary>
public sealed record PoolUpdatedV1(Guid PoolId, Guid LoadBalancerId, string Name, string Description, LbAlgorithm LbAlgorithm,
    SessionPersistenceV1? SessionPersistence, SlowStartV1 SlowStart, bool MemberDeletionProtectionEnable,
    DateTimeOffset UpdatedAt);

public sealed record PoolDeletedV1(Guid PoolId, Guid LoadBalancerId, DateTimeOffset DeletedAt);

public sealed record MemberAddedV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, string Name, string Address,
    int ProtocolPort, int Weight, string MemberType, string? InstanceId, string? AvailabilityZone, MemberOperatingStatus OperatingStatus,
    DateTimeOffset AddedAt);

public sealed record MemberUpdatedV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, string Name, int Weight,
    DateTimeOffset UpdatedAt);

public sealed record MemberRemovedV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, DateTimeOffset RemovedAt);

/// <param name="Action">stopped, started or restarted: the member's connections were dropped.</param>
public sealed record MemberServerPowerChangedV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, string ServerId,
    string Action, DateTimeOffset ChangedAt);

public sealed record MemberHealthChangedV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, MemberOperatingStatus OperatingStatus,
    string NodeId, DateTimeOffset ObservedAt);

public sealed record MemberSlowStartBeganV1(Guid MemberId, Guid PoolId, Guid LoadBalancerId, DateTimeOffset StartedAt,
    DateTimeOffset EndsAt);

public sealed record HealthMonitorV1(Guid HealthMonitorId, Guid PoolId, Guid LoadBalancerId, HealthMonitorType Type, int Delay,
    int Timeout, int MaxRetries, int MaxRetriesDown, string UrlPath, string ExpectedCodes, bool AdminStateUp,
    DateTimeOffset ChangedAt);

public sealed record HealthMonitorDeletedV1(Guid HealthMonitorId, Guid PoolId, Guid LoadBalancerId, DateTimeOffset DeletedAt);
