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
    bool? IpTargetEnable);

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
    DateTimeOffset CreatedAt) : ILoadBalancerEvent;

public static class CreateLoadBalancerRules
{
    /// <param name="vipSubnet">The inventory subnet named by <c>vip_subnet_cidr_id</c>, if any.</param>
    public static Decision Decide(CreateLoadBalancer command, Subnet? vipSubnet, Guid loadBalancerId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.VpcId)) return RuleViolation.MissingField("loadbalancer.vpc_id");
        if (command.AvailabilityZoneList is not { Count: > 0 } zones || zones.Any(string.IsNullOrWhiteSpace))
        {
            return RuleViolation.Invalid("ELB.AvailabilityZoneRequired",
                "A load balancer needs at least one availability zone in 'loadbalancer.availability_zone_list'.");
        }
        if (command.VipSubnetCidrId is { } subnetId)
        {
            if (vipSubnet is null) return RuleViolation.NotFound("Subnet", subnetId);
            if (vipSubnet.VpcId != command.VpcId)
            {
                return RuleViolation.Conflict("ELB.SubnetNotInVpc",
                    $"Subnet {subnetId} is in VPC {vipSubnet.VpcId}, not in the load balancer's VPC {command.VpcId}.");
            }
        }
        var guaranteed = command.Guaranteed ?? true;
        var ipTargetEnable = command.IpTargetEnable ?? false;
        if (ipTargetEnable && IpAsBackendRules.CanEnable(guaranteed, vipSubnet, []) is { } refused) return refused;

        return Decision.Accept(new LoadBalancerCreated(loadBalancerId, command.ProjectId, command.Name ?? "",
            command.Description ?? "", command.VpcId, command.VipSubnetCidrId, [.. zones.Distinct()], guaranteed,
            ipTargetEnable, now));
    }
}

public static class CreateLoadBalancerHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(CreateLoadBalancer command, IDocumentSession session,
        IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var subnet = command.VipSubnetCidrId is { } subnetId
            ? await session.LoadAsync<Subnet>(InventoryKey.Subnet(command.ProjectId, subnetId), cancellation)
            : null;
        var id = Guid.CreateVersion7();
        var decision = CreateLoadBalancerRules.Decide(command, subnet, id, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);
        // The project's stream lock orders creations in one project, so its load balancer quota holds exactly.
        var project = await session.Events.FetchForExclusiveWriting<Project>(ProjectStream.Key(command.ProjectId), cancellation);
        if (await QuotaRules.CheckAsync(session, usage, command.ProjectId, decision.Events, null, cancellation,
                QuotaRules.Of(project.Aggregate)) is { } overQuota)
        {
            return CommandOutcome<Guid>.Refused(overQuota);
        }

        session.Events.StartStream<LoadBalancer>(id, decision.Events);
        return new CommandOutcome<Guid>(id, null);
    }
}
