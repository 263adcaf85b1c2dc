using System.Net;
using System.Net.Sockets;
using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.BackendServers;

/// <param name="LoadBalancerId">The load balancer owning the pool, resolved from the pool by the caller.</param>
public sealed record AddBackendServer(
    string ProjectId,
    Guid LoadBalancerId,
    Guid PoolId,
    string? Address,
    int? ProtocolPort,
    int? Weight);

public sealed record BackendServerAdded(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Address,
    int ProtocolPort,
    int Weight,
    DateTimeOffset AddedAt) : ILoadBalancerEvent;

public static class AddBackendServerRules
{
    public const int DefaultWeight = 1;
    public const int MaxWeight = 100;

    public static Decision Decide(LoadBalancer? loadBalancer, AddBackendServer command, Guid memberId,
        DateTimeOffset now)
    {
        var pool = loadBalancer?.ProjectId == command.ProjectId ? loadBalancer.FindPool(command.PoolId) : null;
        if (pool is null) return RuleViolation.NotFound("Pool", command.PoolId);
        if (string.IsNullOrWhiteSpace(command.Address)) return RuleViolation.MissingField("member.address");
        if (command.ProtocolPort is not { } port) return RuleViolation.MissingField("member.protocol_port");
        if (!IPAddress.TryParse(command.Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return RuleViolation.Invalid("ELB.InvalidMemberAddress",
                $"Member address '{command.Address}' is not an IPv4 address.");
        }
        if (port is < 1 or > 65535)
        {
            return RuleViolation.Invalid("ELB.InvalidProtocolPort",
                $"Member protocol_port {port} is outside 1-65535.");
        }
        var weight = command.Weight ?? DefaultWeight;
        if (weight is < 0 or > MaxWeight)
        {
            return RuleViolation.Invalid("ELB.InvalidWeight", $"Member weight {weight} is outside 0-{MaxWeight}.");
        }
        var normalizedAddress = address.ToString();
        if (pool.Members.Any(m => m.Address == normalizedAddress && m.ProtocolPort == port))
        {
            return RuleViolation.Conflict("ELB.DuplicateMember",
                $"Pool {pool.Id} already has a member at {normalizedAddress}:{port}.");
        }

        return Decision.Accept(new BackendServerAdded(memberId, pool.Id, command.ProjectId, loadBalancer!.Id, normalizedAddress, port,
            weight, now));
    }
}

public static class AddBackendServerHandler
{
    public static async Task<CommandOutcome> Handle(AddBackendServer command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<LoadBalancer>(command.LoadBalancerId, cancellation);
        var memberId = Guid.CreateVersion7();
        var decision = AddBackendServerRules.Decide(stream.Aggregate, command, memberId, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome.Refused(violation);

        stream.AppendMany(decision.Events);
        return new CommandOutcome(memberId, null);
    }
}
