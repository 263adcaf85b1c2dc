using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;

namespace Elb.Projections.LoadBalancers;

// ELB v3's status tree (show_load_balancer_status): Elb applies a change when it commits, so every provisioning_status
// is ACTIVE; operating statuses come from health checks and from what the nodes serve.
public sealed record MemberStatus(Guid Id, string Address, int ProtocolPort, string? AvailabilityZone,
    MemberOperatingStatus OperatingStatus, ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active);

public sealed record HealthMonitorStatus(Guid Id, string Name, HealthMonitorType Type, bool AdminStateUp,
    ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active);

public sealed record PoolStatus(Guid Id, string Name, OperatingStatus OperatingStatus, HealthMonitorStatus? HealthMonitor,
    IReadOnlyList<MemberStatus> Members, ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active);

/// <param name="Pools">The pool the listener forwards to, as ELB nests it.</param>
public sealed record ListenerStatus(Guid Id, string Name, Protocol Protocol, int ProtocolPort, Guid? DefaultPoolId,
    OperatingStatus? OperatingStatus, IReadOnlyList<string>? OperatingStatusReasons, IReadOnlyList<PoolStatus> Pools,
    ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active)
{
    public IReadOnlyList<object> L7policies => [];
}

/// <param name="Warning">Set when the zone has no healthy member: the guide asks for at least one working server per zone.</param>
public sealed record ZoneStatus(string AvailabilityZone, int Members, int HealthyMembers, bool HasHealthyMember, string? Warning);

public sealed record LoadBalancerStatus(
    Guid Id,
    string Name,
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    IReadOnlyList<ListenerStatus> Listeners,
    IReadOnlyList<PoolStatus> Pools,
    IReadOnlyList<ZoneStatus> AvailabilityZones);

/// <summary>Rule 13: the status tree, with members and healthy members per availability zone of the load balancer.</summary>
public static class StatusTree
{
    /// <summary>A member takes requests while it is ONLINE, or NO_MONITOR (nothing says otherwise).</summary>
    public static bool IsHealthy(Member member) => member.OperatingStatus != MemberOperatingStatus.Offline;

    /// <param name="serving">Whether each listener is served, as the nodes say (null: not known).</param>
    public static LoadBalancerStatus From(LoadBalancer lb, Func<Listener, Listeners.ListenerServingState>? serving = null)
    {
        var zones = Zones(lb);
        var pools = lb.Pools.ToDictionary(p => p.Id, p => new PoolStatus(p.Id, p.Name, PoolOperatingStatus(p),
            p.HealthMonitor is { } h ? new HealthMonitorStatus(h.Id, h.Settings.Name, h.Settings.Type, h.Settings.AdminStateUp) : null,
            [.. p.Members.Select(m => new MemberStatus(m.Id, m.Address, m.ProtocolPort, m.AvailabilityZone, m.OperatingStatus))]));
        return new LoadBalancerStatus(lb.Id, lb.Name, ProvisioningStatus.Active, OperatingStatusOf(lb, zones),
            [.. lb.Listeners.Select(l => (Listener: l, Serving: serving?.Invoke(l), DefaultPool: lb.DefaultPoolOf(l)))
                .Select(x => new ListenerStatus(x.Listener.Id, x.Listener.Name, x.Listener.Protocol, x.Listener.ProtocolPort,
                    x.DefaultPool, x.Serving?.OperatingStatus, x.Serving?.Reasons,
                    x.DefaultPool is { } poolId ? [pools[poolId]] : []))],
            [.. pools.Values],
            zones);
    }

    /// <summary>DEGRADED where a zone of the load balancer has members but none healthy; what the resource and the tree both say.</summary>
    public static OperatingStatus OperatingStatusOf(LoadBalancer lb, IReadOnlyList<ZoneStatus>? zones = null) =>
        lb.Pools.Any(p => p.Members.Count > 0) && (zones ?? Zones(lb)).Any(z => !z.HasHealthyMember)
            ? OperatingStatus.Degraded
            : OperatingStatus.Online;

    private static List<ZoneStatus> Zones(LoadBalancer lb)
    {
        var members = lb.Pools.SelectMany(p => p.Members).ToList();
        return [.. lb.AvailabilityZoneList.Select(zone =>
        {
            var inZone = members.Where(m => m.AvailabilityZone == zone).ToList();
            var healthy = inZone.Count(IsHealthy);
            return new ZoneStatus(zone, inZone.Count, healthy, healthy > 0, healthy > 0 ? null
                : $"Availability zone {zone} has no healthy backend server; ensure at least one works in each zone to avoid a single point of failure.");
        })];
    }

    /// <summary>ONLINE while every member is healthy, OFFLINE with none, else DEGRADED (a pool without members is ONLINE).</summary>
    public static OperatingStatus PoolOperatingStatus(Pool pool)
    {
        var healthy = pool.Members.Count(IsHealthy);
        return healthy == pool.Members.Count ? OperatingStatus.Online : healthy == 0 ? OperatingStatus.Offline : OperatingStatus.Degraded;
    }
}
