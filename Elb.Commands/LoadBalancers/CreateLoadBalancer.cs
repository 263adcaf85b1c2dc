using Marten;

namespace Elb.Commands.LoadBalancers;

public sealed record CreateLoadBalancer(
    string ProjectId,
    string? Name,
    string? VpcId,
    IReadOnlyList<string>? AvailabilityZoneList,
    bool? Guaranteed);

public sealed record LoadBalancerCreated(
    Guid LoadBalancerId,
    string ProjectId,
    string Name,
    string VpcId,
    IReadOnlyList<string> AvailabilityZoneList,
    bool Guaranteed,
    DateTimeOffset CreatedAt) : ILoadBalancerEvent;

public static class CreateLoadBalancerRules
{
    public static Decision Decide(CreateLoadBalancer command, Guid loadBalancerId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.VpcId)) return RuleViolation.MissingField("loadbalancer.vpc_id");
        if (command.AvailabilityZoneList is not { Count: > 0 } zones || zones.Any(string.IsNullOrWhiteSpace))
        {
            return RuleViolation.Invalid("ELB.AvailabilityZoneRequired",
                "A load balancer needs at least one availability zone in 'loadbalancer.availability_zone_list'.");
        }

        return Decision.Accept(new LoadBalancerCreated(loadBalancerId, command.ProjectId, command.Name ?? "",
            command.VpcId, [.. zones.Distinct()], command.Guaranteed ?? true, now));
    }
}

public static class CreateLoadBalancerHandler
{
    public static CommandOutcome Handle(CreateLoadBalancer command, IDocumentSession session, TimeProvider clock)
    {
        var id = Guid.CreateVersion7();
        var decision = CreateLoadBalancerRules.Decide(command, id, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome.Refused(violation);

        session.Events.StartStream<LoadBalancer>(id, decision.Events);
        return new CommandOutcome(id, null);
    }
}
