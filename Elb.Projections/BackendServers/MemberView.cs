using Elb.Commands.BackendServers;
using Marten.Events.Projections;

namespace Elb.Projections.BackendServers;

/// <summary>A backend server (member) as the ELB v3 API shows it.</summary>
public sealed class MemberView
{
    public Guid Id { get; set; }
    public string ProjectId { get; set; } = "";
    public Guid PoolId { get; set; }
    public Guid LoadBalancerId { get; set; }
    public string Address { get; set; } = "";
    public int ProtocolPort { get; set; }
    public int Weight { get; set; }
    public string OperatingStatus { get; set; } = "NO_MONITOR";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class MemberViewProjection : MultiStreamProjection<MemberView, Guid>
{
    public MemberViewProjection()
    {
        Identity<BackendServerAdded>(e => e.MemberId);
    }

    public static MemberView Create(BackendServerAdded e) => new()
    {
        Id = e.MemberId,
        ProjectId = e.ProjectId,
        PoolId = e.PoolId,
        LoadBalancerId = e.LoadBalancerId,
        Address = e.Address,
        ProtocolPort = e.ProtocolPort,
        Weight = e.Weight,
        CreatedAt = e.AddedAt,
        UpdatedAt = e.AddedAt,
    };
}
