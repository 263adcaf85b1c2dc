using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.BackendServers;

/// <summary><c>state</c>: none | pending (waits for its first healthy check) | active | ended.</summary>
public sealed record MemberSlowStartResource(string State, DateTimeOffset? StartedAt, DateTimeOffset? EndsAt);

public sealed record MemberResource(
    Guid Id,
    string ProjectId,
    Guid PoolId,
    Guid LoadBalancerId,
    string LoadBalancerName,
    string Name,
    string? InstanceId,
    string Address,
    int ProtocolPort,
    int Weight,
    string MemberType,
    string? SubnetCidrId,
    string? AvailabilityZone,
    MemberOperatingStatus OperatingStatus,
    MemberSlowStartResource SlowStart,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <param name="now">The reading time: an active slow start whose window has passed reads as ended.</param>
    public static MemberResource From(LoadBalancer lb, Pool p, Member m, DateTimeOffset now) =>
        From(new LocatedMember(lb.Id, lb.ProjectId, lb.Name, p.Id, m), now);

    /// <param name="now">The reading time: an active slow start whose window has passed reads as ended.</param>
    public static MemberResource From(LocatedMember located, DateTimeOffset now)
    {
        var m = located.Member;
        return new(m.Id, located.ProjectId, located.PoolId, located.LoadBalancerId, located.LoadBalancerName, m.Name,
            m.InstanceId, m.Address, m.ProtocolPort, m.Weight, m.MemberType, m.SubnetCidrId, m.AvailabilityZone, m.OperatingStatus,
            new MemberSlowStartResource(m.SlowStart.PhaseAt(now).ToString().ToLowerInvariant(), m.SlowStart.StartedAt,
                m.SlowStart.EndsAt),
            m.CreatedAt, m.UpdatedAt);
    }
}
