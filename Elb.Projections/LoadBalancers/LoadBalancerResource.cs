using Elb.Commands.LoadBalancers;

namespace Elb.Projections.LoadBalancers;

public sealed record ResourceRef(Guid Id);

/// <summary>A load balancer as the ELB v3 API shows it, rendered from its stream's snapshot.</summary>
public sealed record LoadBalancerResource(
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
    ProvisioningStatus ProvisioningStatus,
    OperatingStatus OperatingStatus,
    IReadOnlyList<ResourceRef> Listeners,
    IReadOnlyList<ResourceRef> Pools,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static LoadBalancerResource From(LoadBalancer lb) => new(lb.Id, lb.ProjectId, lb.Name, lb.Description,
        lb.VpcId, lb.VipSubnetCidrId, lb.VipAddress, lb.AvailabilityZoneList, lb.Guaranteed, lb.IpTargetEnable, ProvisioningStatus.Active, StatusTree.OperatingStatusOf(lb),
        [.. lb.Listeners.Select(l => new ResourceRef(l.Id))], [.. lb.Pools.Select(p => new ResourceRef(p.Id))],
        lb.CreatedAt, lb.UpdatedAt);
}
