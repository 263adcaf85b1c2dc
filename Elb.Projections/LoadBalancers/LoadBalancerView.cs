using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;
using Marten.Events.Aggregation;

namespace Elb.Projections.LoadBalancers;

/// <summary>A load balancer as the ELB v3 API shows it.</summary>
public sealed class LoadBalancerView
{
    public Guid Id { get; set; }
    public string ProjectId { get; set; } = "";
    public string Name { get; set; } = "";
    public string VpcId { get; set; } = "";
    public List<string> AvailabilityZoneList { get; set; } = [];
    public bool Guaranteed { get; set; }
    public string ProvisioningStatus { get; set; } = "ACTIVE";
    public string OperatingStatus { get; set; } = "ONLINE";
    public List<ResourceRef> Pools { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed record ResourceRef(Guid Id);

public sealed class LoadBalancerViewProjection : SingleStreamProjection<LoadBalancerView, Guid>
{
    public static LoadBalancerView Create(LoadBalancerCreated e) => new()
    {
        Id = e.LoadBalancerId,
        ProjectId = e.ProjectId,
        Name = e.Name,
        VpcId = e.VpcId,
        AvailabilityZoneList = [.. e.AvailabilityZoneList],
        Guaranteed = e.Guaranteed,
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.CreatedAt,
    };

    public static void Apply(BackendServerGroupCreated e, LoadBalancerView view)
    {
        view.Pools.Add(new ResourceRef(e.PoolId));
        view.UpdatedAt = e.CreatedAt;
    }

    public static void Apply(BackendServerAdded e, LoadBalancerView view) => view.UpdatedAt = e.AddedAt;
}
