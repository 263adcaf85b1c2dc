using Elb.Commands.Inventory;
using Marten;
using Wolverine.Marten;

namespace Elb.Commands.LoadBalancers;

public sealed record UpdateLoadBalancer(
    string ProjectId,
    Guid LoadBalancerId,
    string? Name,
    string? Description,
    bool? IpTargetEnable);

public sealed record LoadBalancerUpdated(
    Guid LoadBalancerId,
    string ProjectId,
    string Name,
    string Description,
    DateTimeOffset UpdatedAt) : ILoadBalancerEvent;

public sealed record IpAsBackendEnabled(Guid LoadBalancerId, string ProjectId, DateTimeOffset EnabledAt) : ILoadBalancerEvent;

public static class UpdateLoadBalancerRules
{
    public static Decision Decide(LoadBalancer? state, UpdateLoadBalancer command, Subnet? vipSubnet, DateTimeOffset now)
    {
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer)
        {
            return RuleViolation.NotFound("LoadBalancer", command.LoadBalancerId);
        }

        var events = new List<ILoadBalancerEvent>();
        var name = command.Name ?? loadBalancer.Name;
        var description = command.Description ?? loadBalancer.Description;
        if (name != loadBalancer.Name || description != loadBalancer.Description)
        {
            events.Add(new LoadBalancerUpdated(loadBalancer.Id, loadBalancer.ProjectId, name, description, now));
        }

        switch (command.IpTargetEnable, loadBalancer.IpTargetEnable)
        {
            case (false, true):
                return RuleViolation.Conflict("ELB.IpAsBackendCannotBeDisabled",
                    "IP as a backend cannot be disabled after it is enabled.");
            case (true, false):
                if (IpAsBackendRules.CanEnable(loadBalancer.Guaranteed, vipSubnet, loadBalancer.Listeners) is { } refused)
                {
                    return refused;
                }
                events.Add(new IpAsBackendEnabled(loadBalancer.Id, loadBalancer.ProjectId, now));
                break;
        }
        return Decision.Accept(events);
    }
}

public static class UpdateLoadBalancerHandler
{
    public static async Task<(CommandOutcome<Guid>, Events)> Handle(UpdateLoadBalancer command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var subnet = state.OwnedBy(command.ProjectId)?.VipSubnetCidrId is { } subnetId
            ? await session.LoadAsync<Subnet>(InventoryKey.Subnet(command.ProjectId, subnetId), cancellation)
            : null;
        return UpdateLoadBalancerRules.Decide(state, command, subnet, clock.GetUtcNow()).Outcome(state, command.LoadBalancerId);
    }
}
