using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.BackendServerGroups;

public sealed record CreateBackendServerGroup(
    string ProjectId,
    Guid? LoadBalancerId,
    string? Name,
    string? Protocol,
    string? LbAlgorithm);

public sealed record BackendServerGroupCreated(
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Protocol,
    string LbAlgorithm,
    DateTimeOffset CreatedAt) : ILoadBalancerEvent;

public static class CreateBackendServerGroupRules
{
    public static readonly string[] Protocols = ["TCP", "UDP", "HTTP", "HTTPS", "QUIC"];
    public static readonly string[] Algorithms = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"];

    public static Decision Decide(LoadBalancer? loadBalancer, CreateBackendServerGroup command, Guid poolId,
        DateTimeOffset now)
    {
        if (command.LoadBalancerId is not { } loadBalancerId) return RuleViolation.MissingField("pool.loadbalancer_id");
        if (string.IsNullOrWhiteSpace(command.Protocol)) return RuleViolation.MissingField("pool.protocol");
        if (string.IsNullOrWhiteSpace(command.LbAlgorithm)) return RuleViolation.MissingField("pool.lb_algorithm");
        if (!Protocols.Contains(command.Protocol))
        {
            return RuleViolation.Invalid("ELB.UnsupportedProtocol",
                $"Protocol '{command.Protocol}' is not one of {string.Join(", ", Protocols)}.");
        }
        if (!Algorithms.Contains(command.LbAlgorithm))
        {
            return RuleViolation.Invalid("ELB.UnsupportedAlgorithm",
                $"Load balancing algorithm '{command.LbAlgorithm}' is not one of {string.Join(", ", Algorithms)}.");
        }
        if (loadBalancer is null || loadBalancer.ProjectId != command.ProjectId)
        {
            return RuleViolation.NotFound("LoadBalancer", loadBalancerId);
        }

        return Decision.Accept(new BackendServerGroupCreated(poolId, command.ProjectId, loadBalancerId, command.Name ?? "",
            command.Protocol, command.LbAlgorithm, now));
    }
}

public static class CreateBackendServerGroupHandler
{
    public static async Task<CommandOutcome> Handle(CreateBackendServerGroup command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var stream = command.LoadBalancerId is { } id
            ? await session.Events.FetchForWriting<LoadBalancer>(id, cancellation)
            : null;
        var poolId = Guid.CreateVersion7();
        var decision = CreateBackendServerGroupRules.Decide(stream?.Aggregate, command, poolId, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome.Refused(violation);

        stream!.AppendMany(decision.Events);
        return new CommandOutcome(poolId, null);
    }
}
