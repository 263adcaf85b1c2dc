using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Projections.LoadBalancers;
using Marten.Events.Projections;

namespace Elb.Projections.BackendServerGroups;

/// <summary>A backend server group (pool) as the ELB v3 API shows it; also how a pool id finds its load balancer.</summary>
public sealed class PoolView
{
    public Guid Id { get; set; }
    public string ProjectId { get; set; } = "";
    public Guid LoadBalancerId { get; set; }
    public List<ResourceRef> LoadBalancers { get; set; } = [];
    public string Name { get; set; } = "";
    public string Protocol { get; set; } = "";
    public string LbAlgorithm { get; set; } = "";
    public List<ResourceRef> Members { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class PoolViewProjection : MultiStreamProjection<PoolView, Guid>
{
    public PoolViewProjection()
    {
        Identity<BackendServerGroupCreated>(e => e.PoolId);
        Identity<BackendServerAdded>(e => e.PoolId);
    }

    public static PoolView Create(BackendServerGroupCreated e) => new()
    {
        Id = e.PoolId,
        ProjectId = e.ProjectId,
        LoadBalancerId = e.LoadBalancerId,
        LoadBalancers = [new ResourceRef(e.LoadBalancerId)],
        Name = e.Name,
        Protocol = e.Protocol,
        LbAlgorithm = e.LbAlgorithm,
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.CreatedAt,
    };

    public static void Apply(BackendServerAdded e, PoolView view)
    {
        view.Members.Add(new ResourceRef(e.MemberId));
        view.UpdatedAt = e.AddedAt;
    }
}
