using System.Diagnostics;
using System.Text.Json.Serialization;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.SlowStart;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// Every event of a load balancer's stream: the load balancer, its listeners, pools, members and health monitors
/// live in one stream, the consistency boundary that keeps rules spanning pools (such as the member limit) true
/// under concurrency. The discriminator lets one bus message carry any of them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event_type")]
[JsonDerivedType(typeof(LoadBalancerCreated), nameof(LoadBalancerCreated))]
[JsonDerivedType(typeof(LoadBalancerUpdated), nameof(LoadBalancerUpdated))]
[JsonDerivedType(typeof(IpAsBackendEnabled), nameof(IpAsBackendEnabled))]
[JsonDerivedType(typeof(LoadBalancerDeleted), nameof(LoadBalancerDeleted))]
[JsonDerivedType(typeof(ListenerCreated), nameof(ListenerCreated))]
[JsonDerivedType(typeof(ListenerUpdated), nameof(ListenerUpdated))]
[JsonDerivedType(typeof(ListenerDeleted), nameof(ListenerDeleted))]
[JsonDerivedType(typeof(BackendServerGroupCreated), nameof(BackendServerGroupCreated))]
[JsonDerivedType(typeof(BackendServerGroupUpdated), nameof(BackendServerGroupUpdated))]
[JsonDerivedType(typeof(BackendServerGroupDeleted), nameof(BackendServerGroupDeleted))]
[JsonDerivedType(typeof(BackendServerAdded), nameof(BackendServerAdded))]
[JsonDerivedType(typeof(BackendServerUpdated), nameof(BackendServerUpdated))]
[JsonDerivedType(typeof(BackendServerRemoved), nameof(BackendServerRemoved))]
[JsonDerivedType(typeof(BackendServerPowerChanged), nameof(BackendServerPowerChanged))]
[JsonDerivedType(typeof(HealthMonitorCreated), nameof(HealthMonitorCreated))]
[JsonDerivedType(typeof(HealthMonitorUpdated), nameof(HealthMonitorUpdated))]
[JsonDerivedType(typeof(HealthMonitorDeleted), nameof(HealthMonitorDeleted))]
[JsonDerivedType(typeof(MemberHealthChanged), nameof(MemberHealthChanged))]
[JsonDerivedType(typeof(SlowStartBegan), nameof(SlowStartBegan))]
public interface ILoadBalancerEvent
{
    string ProjectId { get; }
    Guid LoadBalancerId { get; }
}

public sealed record Listener(
    Guid Id,
    string Name,
    string Description,
    Protocol Protocol,
    int ProtocolPort,
    Guid? DefaultPoolId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid? DefaultTlsContainerRef,
    IReadOnlyList<Guid> SniContainerRefs);

public sealed record SessionPersistence(StickySessionType Type, string? CookieName, int PersistenceTimeout);

/// <summary>When a member leaves (removed, weight 0), its open connections stay for <see cref="Timeout"/> seconds before they are cut.</summary>
public sealed record ConnectionDrain(bool Enable, int Timeout)
{
    public static readonly ConnectionDrain Disabled = new(false, 300);
}

public sealed record SlowStartSettings(bool Enable, int Duration)
{
    public static readonly SlowStartSettings Disabled = new(false, SlowStartRules.DefaultDuration);
}

/// <summary>How a pool's members are checked: every <see cref="Delay"/> s, <see cref="MaxRetries"/> successes to go ONLINE, <see cref="MaxRetriesDown"/> failures to go OFFLINE.</summary>
public sealed record HealthCheckSettings(
    string Name,
    HealthMonitorType Type,
    int Delay,
    int Timeout,
    int MaxRetries,
    int MaxRetriesDown,
    string UrlPath,
    string ExpectedCodes,
    bool AdminStateUp);

public sealed record HealthMonitor(Guid Id, HealthCheckSettings Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public enum SlowStartPhase { None, Pending, Active, Ended }

/// <summary>
/// A member's slow start: <see cref="SlowStartPhase.Pending"/> waits for the first healthy report, Active ramps
/// from <see cref="StartedAt"/> to <see cref="EndsAt"/>; once it has begun it never begins again.
/// </summary>
public sealed record MemberSlowStart(SlowStartPhase Phase, DateTimeOffset? StartedAt, DateTimeOffset? EndsAt)
{
    public static readonly MemberSlowStart None = new(SlowStartPhase.None, null, null);
    public static readonly MemberSlowStart Pending = new(SlowStartPhase.Pending, null, null);

    /// <summary>What a reader sees at <paramref name="now"/>: an active window that has run out has ended.</summary>
    public SlowStartPhase PhaseAt(DateTimeOffset now) =>
        Phase == SlowStartPhase.Active && EndsAt <= now ? SlowStartPhase.Ended : Phase;
}

public sealed record Member(
    Guid Id,
    string Name,
    string Address,
    int ProtocolPort,
    int Weight,
    string MemberType,
    string? InstanceId,
    string? SubnetCidrId,
    string? AvailabilityZone,
    string? Os,
    MemberOperatingStatus OperatingStatus,
    DateTimeOffset? HealthObservedAt,
    MemberSlowStart SlowStart,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record Pool(
    Guid Id,
    string Name,
    string Description,
    Guid? ListenerId,
    Protocol Protocol,
    LbAlgorithm LbAlgorithm,
    string Type,
    SessionPersistence? SessionPersistence,
    SlowStartSettings SlowStart,
    bool MemberDeletionProtectionEnable,
    HealthMonitor? HealthMonitor,
    ConnectionDrain ConnectionDrain,
    IReadOnlyList<Member> Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Health checks decide a member's status only while the monitor exists and is switched on.</summary>
    [JsonIgnore]
    public bool IsMonitored => HealthMonitor is { Settings.AdminStateUp: true };

    public Member? FindMember(Guid memberId) => Members.FirstOrDefault(m => m.Id == memberId);

    internal Pool WithMember(Guid memberId, Func<Member, Member> change) =>
        this with { Members = [.. Members.Select(m => m.Id == memberId ? change(m) : m)] };

    internal Pool WithAllMembers(Func<Member, Member> change) => this with { Members = [.. Members.Select(change)] };
}

/// <summary>The state of one load balancer stream, with its listeners, pools and their members.</summary>
public sealed record LoadBalancer(
    Guid Id,
    string ProjectId,
    string Name,
    string Description,
    string VpcId,
    string? VipSubnetCidrId,
    string? VipAddress,
    IReadOnlyList<string> AvailabilityZoneList,
    bool Guaranteed,
    bool IpTargetEnable,
    IReadOnlyList<Listener> Listeners,
    IReadOnlyList<Pool> Pools,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public Pool? FindPool(Guid poolId) => Pools.FirstOrDefault(p => p.Id == poolId);

    public Listener? FindListener(Guid listenerId) => Listeners.FirstOrDefault(l => l.Id == listenerId);

    /// <summary>The pool a listener forwards to: its default pool, or else the pool created for it (as ELB v3 makes it the default).</summary>
    public Guid? DefaultPoolOf(Listener listener) =>
        listener.DefaultPoolId ?? Pools.FirstOrDefault(p => p.ListenerId == listener.Id)?.Id;

    [JsonIgnore]
    public int MemberCount => Pools.Sum(p => p.Members.Count);

    internal LoadBalancer WithPool(Guid poolId, Func<Pool, Pool> change) =>
        this with { Pools = [.. Pools.Select(p => p.Id == poolId ? change(p) : p)] };

    internal LoadBalancer WithListener(Guid listenerId, Func<Listener, Listener> change) =>
        this with { Listeners = [.. Listeners.Select(l => l.Id == listenerId ? change(l) : l)] };
}

/// <summary>
/// The one pure function that gives a load balancer stream its meaning. The control plane decides against its
/// result (Marten keeps it as an inline snapshot) and every data-plane node evolves its own copy with it, so both
/// always agree on what a stream means.
/// </summary>
public static class LoadBalancerStream
{
    /// <summary>
    /// Decides one step after another, each against the state the steps before it left: how a cascade is made of the
    /// single-resource rules, all of it or (at the first refusal) none of it.
    /// </summary>
    public static Decision DecideInTurn(LoadBalancer state, IEnumerable<Func<LoadBalancer, Decision>> steps)
    {
        List<ILoadBalancerEvent> events = [];
        foreach (var step in steps)
        {
            var decision = step(state);
            if (decision.Violation is not null) return decision;
            events.AddRange(decision.Events);
            state = decision.Events.Aggregate(state, (s, e) => Evolve(s, e)!);
        }
        return Decision.Accept(events);
    }

    public static LoadBalancer? Evolve(LoadBalancer? state, ILoadBalancerEvent @event) => (state, @event) switch
    {
        (null, LoadBalancerCreated e) => new LoadBalancer(e.LoadBalancerId, e.ProjectId, e.Name, e.Description,
            e.VpcId, e.VipSubnetCidrId, e.VipAddress, e.AvailabilityZoneList, e.Guaranteed, e.IpTargetEnable, [], [], e.CreatedAt,
            e.CreatedAt, 0),
        (null, _) => null,
        (_, LoadBalancerUpdated e) => state with { Name = e.Name, Description = e.Description, UpdatedAt = e.UpdatedAt },
        (_, IpAsBackendEnabled e) => state with { IpTargetEnable = true, UpdatedAt = e.EnabledAt },
        (_, LoadBalancerDeleted) => null,

        (_, ListenerCreated e) => state with
        {
            Listeners = [.. state.Listeners, new Listener(e.ListenerId, e.Name, e.Description, e.Protocol,
                e.ProtocolPort, e.DefaultPoolId, e.CreatedAt, e.CreatedAt, e.DefaultTlsContainerRef, e.SniContainerRefs ?? [])],
            UpdatedAt = e.CreatedAt,
        },
        (_, ListenerUpdated e) => state.WithListener(e.ListenerId, l => l with
        {
            Name = e.Name, Description = e.Description, DefaultPoolId = e.DefaultPoolId, UpdatedAt = e.UpdatedAt,
            DefaultTlsContainerRef = e.DefaultTlsContainerRef, SniContainerRefs = e.SniContainerRefs ?? [],
        }) with { UpdatedAt = e.UpdatedAt },
        (_, ListenerDeleted e) => state with
        {
            Listeners = [.. state.Listeners.Where(l => l.Id != e.ListenerId)],
            // Only a forced delete leaves pools bound to the listener: they stay, unbound.
            Pools = [.. state.Pools.Select(p => p.ListenerId == e.ListenerId ? p with { ListenerId = null } : p)],
            UpdatedAt = e.DeletedAt,
        },

        (_, BackendServerGroupCreated e) => state with
        {
            Pools = [.. state.Pools, new Pool(e.PoolId, e.Name, e.Description, e.ListenerId, e.Protocol, e.LbAlgorithm,
                e.Type, e.SessionPersistence, e.SlowStart, e.MemberDeletionProtectionEnable, null,
                e.ConnectionDrain ?? ConnectionDrain.Disabled, [], e.CreatedAt, e.CreatedAt)],
            UpdatedAt = e.CreatedAt,
        },
        (_, BackendServerGroupUpdated e) => state.WithPool(e.PoolId, pool => SlowStartRules.ApplySettings(pool with
        {
            Name = e.Name,
            Description = e.Description,
            LbAlgorithm = e.LbAlgorithm,
            SessionPersistence = e.SessionPersistence,
            MemberDeletionProtectionEnable = e.MemberDeletionProtectionEnable,
            ConnectionDrain = e.ConnectionDrain ?? pool.ConnectionDrain,
            UpdatedAt = e.UpdatedAt,
        }, e.SlowStart, e.UpdatedAt)) with { UpdatedAt = e.UpdatedAt },
        (_, BackendServerGroupDeleted e) => state with
        {
            Pools = [.. state.Pools.Where(p => p.Id != e.PoolId)], UpdatedAt = e.DeletedAt,
        },

        (_, BackendServerAdded e) => state.WithPool(e.PoolId, pool => pool with
        {
            Members = [.. pool.Members, new Member(e.MemberId, e.Name, e.Address, e.ProtocolPort, e.Weight,
                e.MemberType, e.InstanceId, e.SubnetCidrId, e.AvailabilityZone, e.Os, e.OperatingStatus, null,
                e.EntersSlowStart ? MemberSlowStart.Pending : MemberSlowStart.None, e.AddedAt, e.AddedAt)],
            UpdatedAt = e.AddedAt,
        }) with { UpdatedAt = e.AddedAt },
        (_, BackendServerUpdated e) => state.WithPool(e.PoolId, pool => pool.WithMember(e.MemberId, m => m with
        {
            Name = e.Name, Weight = e.Weight, UpdatedAt = e.UpdatedAt,
        })) with { UpdatedAt = e.UpdatedAt },
        (_, BackendServerRemoved e) => state.WithPool(e.PoolId, pool => pool with
        {
            Members = [.. pool.Members.Where(m => m.Id != e.MemberId)], UpdatedAt = e.RemovedAt,
        }) with { UpdatedAt = e.RemovedAt },
        (_, BackendServerPowerChanged) => state,

        (_, HealthMonitorCreated e) => state.WithPool(e.PoolId, pool => HealthMonitorRules.ApplyMonitor(pool,
            new HealthMonitor(e.HealthMonitorId, e.Settings, e.CreatedAt, e.CreatedAt), e.CreatedAt)),
        (_, HealthMonitorUpdated e) => state.WithPool(e.PoolId, pool => HealthMonitorRules.ApplyMonitor(pool,
            pool.HealthMonitor! with { Settings = e.Settings, UpdatedAt = e.UpdatedAt }, e.UpdatedAt)),
        (_, HealthMonitorDeleted e) => state.WithPool(e.PoolId, pool => HealthMonitorRules.ApplyMonitor(pool, null,
            e.DeletedAt)),
        (_, MemberHealthChanged e) => state.WithPool(e.PoolId, pool => pool.WithMember(e.MemberId, m => m with
        {
            OperatingStatus = e.OperatingStatus, HealthObservedAt = e.ObservedAt,
        })),
        (_, SlowStartBegan e) => state.WithPool(e.PoolId, pool => pool.WithMember(e.MemberId, m => m with
        {
            SlowStart = new MemberSlowStart(SlowStartPhase.Active, e.StartedAt, e.StartedAt.AddSeconds(e.Duration)),
        })),
        // A stream begins with its one LoadBalancerCreated, and every other event type has its arm above: anything else
        // is an event this code does not know, and passing over it would leave a state that silently differs.
        (_, LoadBalancerCreated) => throw new InvalidOperationException(
            $"Load balancer {state.Id} already exists: its stream has one LoadBalancerCreated."),
        _ => throw new UnreachableException($"LoadBalancerStream.Evolve has no arm for {@event.GetType().Name}."),
    };
}
