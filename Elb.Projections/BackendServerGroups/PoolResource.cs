using Elb.Commands.BackendServerGroups;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.BackendServerGroups;

public sealed record PoolMemberRef(Guid Id, string Address, int ProtocolPort);

public sealed record PoolResource(
    Guid Id,
    string ProjectId,
    Guid LoadBalancerId,
    IReadOnlyList<ResourceRef> LoadBalancers,
    Guid? ListenerId,
    IReadOnlyList<ResourceRef> Listeners,
    string Name,
    string Description,
    Protocol Protocol,
    LbAlgorithm LbAlgorithm,
    string Type,
    SessionPersistence? SessionPersistence,
    SlowStartSettings SlowStart,
    bool MemberDeletionProtectionEnable,
    ConnectionDrain ConnectionDrain,
    Guid? HealthMonitorId,
    IReadOnlyList<PoolMemberRef> Members,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    OperatingStatus OperatingStatus,
    ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active)
{
    /// <summary>A pool's listeners: the one it was created for, and every listener using it as default pool.</summary>
    public static PoolResource From(LoadBalancer lb, Pool p) => new(p.Id, lb.ProjectId, lb.Id, [new ResourceRef(lb.Id)],
        p.ListenerId,
        [.. lb.Listeners.Where(l => lb.DefaultPoolOf(l) == p.Id || l.Id == p.ListenerId).Select(l => new ResourceRef(l.Id))],
        p.Name, p.Description, p.Protocol, p.LbAlgorithm, p.Type, p.SessionPersistence, p.SlowStart,
        p.MemberDeletionProtectionEnable, p.ConnectionDrain, p.HealthMonitor?.Id,
        [.. p.Members.Select(m => new PoolMemberRef(m.Id, m.Address, m.ProtocolPort))], p.CreatedAt, p.UpdatedAt,
        StatusTree.PoolOperatingStatus(p));
}
