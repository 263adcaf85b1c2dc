using Elb.Commands.Egress;
using Elb.Commands.Identity;
using Elb.Commands.Inventory;
using Elb.Commands.Quotas;
using Marten;

namespace Elb.Commands.LoadBalancers;

public sealed record CreateLoadBalancer(
    string ProjectId,
    string? Name,
    string? Description,
    string? VpcId,
    string? VipSubnetCidrId,
    IReadOnlyList<string>? AvailabilityZoneList,
    bool? Guaranteed,
    bool? IpTargetEnable,
    string? VipAddress = null);

public sealed record LoadBalancerCreated(
    Guid LoadBalancerId,
    string ProjectId,
    string Name,
    string Description,
    string VpcId,
    string? VipSubnetCidrId,
    IReadOnlyList<string> AvailabilityZoneList,
    bool Guaranteed,
    bool IpTargetEnable,
    DateTimeOffset CreatedAt,
    string? VipAddress = null) : ILoadBalancerEvent;

public static class CreateLoadBalancerRules
{
    /// <param name="vipSubnet">The subnet named by <c>vip_subnet_cidr_id</c>, or without one the subnet ELB v3 picks in the VPC.</param>
    /// <param name="taken">The addresses of <paramref name="vipSubnet"/> already held (<see cref="VipRules.Choose"/>).</param>
    public static Decision Decide(CreateLoadBalancer command, Subnet? vipSubnet, IReadOnlySet<uint> taken, EgressPolicy egress,
        Guid loadBalancerId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.VpcId)) return RuleViolation.MissingField("loadbalancer.vpc_id");
        if (command.AvailabilityZoneList is not { Count: > 0 } zones || zones.Any(string.IsNullOrWhiteSpace))
        {
            return RuleViolation.Invalid("ELB.AvailabilityZoneRequired",
                "A load balancer needs at least one availability zone in 'loadbalancer.availability_zone_list'.");
        }
        if (vipSubnet is null)
        {
            return command.VipSubnetCidrId is { } named
                ? RuleViolation.NotFound("Subnet", named)
                : RuleViolation.Conflict("ELB.VipSubnetRequired",
                    $"A load balancer needs a subnet for its VIP: give 'loadbalancer.vip_subnet_cidr_id', or register a subnet in VPC {command.VpcId}.");
        }
        if (vipSubnet.VpcId != command.VpcId)
        {
            return RuleViolation.Conflict("ELB.SubnetNotInVpc",
                $"Subnet {vipSubnet.Id} is in VPC {vipSubnet.VpcId}, not in the load balancer's VPC {command.VpcId}.");
        }
        var guaranteed = command.Guaranteed ?? true;
        var ipTargetEnable = command.IpTargetEnable ?? false;
        if (ipTargetEnable && IpAsBackendRules.CanEnable(guaranteed, vipSubnet, []) is { } refused) return refused;
        var (vip, unavailable) = VipRules.Choose(vipSubnet, command.VipAddress, taken, egress);
        if (unavailable is not null) return unavailable;

        return Decision.Accept(new LoadBalancerCreated(loadBalancerId, command.ProjectId, command.Name ?? "",
            command.Description ?? "", command.VpcId, vipSubnet.Id, [.. zones.Distinct()], guaranteed,
            ipTargetEnable, now, vip));
    }
}

public static class CreateLoadBalancerHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(CreateLoadBalancer command, IDocumentSession session,
        IProjectUsage usage, EgressPolicy egress, TimeProvider clock, CancellationToken cancellation)
    {
        var subnet = command.VipSubnetCidrId is { } subnetId
            ? await session.LoadAsync<Subnet>(InventoryKey.Subnet(command.ProjectId, subnetId), cancellation)
            : VipRules.ChooseSubnet(await session.Query<Subnet>()
                .Where(s => s.ProjectId == command.ProjectId && s.VpcId == command.VpcId).ToListAsync(cancellation));
        // The project's stream lock orders creations in one project, so its load balancer quota holds exactly.
        var project = await session.Events.FetchForExclusiveWriting<Project>(ProjectStream.Key(command.ProjectId), cancellation);
        var taken = subnet is null ? new HashSet<uint>() : await TakenAsync(session, command.ProjectId, subnet, cancellation);
        var id = Guid.CreateVersion7();
        var decision = CreateLoadBalancerRules.Decide(command, subnet, taken, egress, id, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);
        if (await QuotaRules.CheckAsync(session, usage, command.ProjectId, decision.Events, null, cancellation,
                QuotaRules.Of(project.Aggregate)) is { } overQuota)
        {
            return CommandOutcome<Guid>.Refused(overQuota);
        }

        session.Events.StartStream<LoadBalancer>(id, decision.Events);
        return new CommandOutcome<Guid>(id, null);
    }

    /// <summary>
    /// What <paramref name="subnet"/> already holds: VIPs of every project (under the allocation lock, held to the commit,
    /// so no other creation takes one meanwhile) and the addresses of this project's servers.
    /// </summary>
    private static async Task<HashSet<uint>> TakenAsync(IDocumentSession session, string projectId, Subnet subnet,
        CancellationToken cancellation)
    {
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", cancellation, VipRules.AllocationLockKey);
        var (first, last) = VipRules.Usable(subnet);
        var vips = await session.Query<VipAllocation>().Where(v => v.Value >= first && v.Value <= last)
            .Select(v => v.Value).ToListAsync(cancellation);
        var servers = await session.Query<Server>().Where(s => s.ProjectId == projectId && s.SubnetId == subnet.Id)
            .Select(s => s.Address).ToListAsync(cancellation);
        return [.. vips.Select(v => (uint)v), .. servers.Select(a => VipRules.ToNumber(System.Net.IPAddress.Parse(a)))];
    }
}
