using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;

namespace Elb.Commands.Listeners;

public sealed record CreateListener(
    string ProjectId,
    Guid? LoadBalancerId,
    string? Name,
    string? Description,
    string? Protocol,
    int? ProtocolPort,
    Guid? DefaultPoolId);

public sealed record ListenerCreated(
    Guid ListenerId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Description,
    string Protocol,
    int ProtocolPort,
    Guid? DefaultPoolId,
    DateTimeOffset CreatedAt) : ILoadBalancerEvent;

public static class CreateListenerRules
{
    public static Decision Decide(LoadBalancer? state, CreateListener command, Guid listenerId, DateTimeOffset now)
    {
        if (command.LoadBalancerId is not { } loadBalancerId) return RuleViolation.MissingField("listener.loadbalancer_id");
        if (string.IsNullOrWhiteSpace(command.Protocol)) return RuleViolation.MissingField("listener.protocol");
        if (command.ProtocolPort is not { } port) return RuleViolation.MissingField("listener.protocol_port");
        if (ProtocolRules.Known("Listener protocol", command.Protocol) is { } unknown) return unknown;
        if (port is < 1 or > 65535)
        {
            return RuleViolation.Invalid("ELB.InvalidProtocolPort", $"Listener protocol_port {port} is outside 1-65535.");
        }
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer) return RuleViolation.NotFound("LoadBalancer", loadBalancerId);
        if (loadBalancer.Listeners.FirstOrDefault(l => l.ProtocolPort == port) is { } taken)
        {
            return RuleViolation.Conflict("ELB.ListenerPortInUse",
                $"Port {port} of load balancer {loadBalancer.Id} is already used by listener {taken.Id}.");
        }
        if (loadBalancer.IpTargetEnable && !IpAsBackendRules.ListenerProtocols.Contains(command.Protocol))
        {
            return RuleViolation.Conflict("ELB.IpAsBackendListenerProtocol",
                $"Load balancer {loadBalancer.Id} has IP as a backend enabled, so only TCP, HTTP and HTTPS listeners can be added, not {command.Protocol}.");
        }
        if (ListenerRules.DefaultPoolFits(loadBalancer, command.Protocol, command.DefaultPoolId) is { } misfit) return misfit;

        return Decision.Accept(new ListenerCreated(listenerId, loadBalancer.ProjectId, loadBalancer.Id,
            command.Name ?? "", command.Description ?? "", command.Protocol, port, command.DefaultPoolId, now));
    }
}

public static class ListenerRules
{
    public static RuleViolation? DefaultPoolFits(LoadBalancer loadBalancer, string listenerProtocol, Guid? defaultPoolId)
    {
        if (defaultPoolId is not { } poolId) return null;
        if (loadBalancer.FindPool(poolId) is not { } pool)
        {
            return RuleViolation.Conflict("ELB.PoolNotInLoadBalancer",
                $"Pool {poolId} is not a pool of load balancer {loadBalancer.Id}.");
        }
        return ProtocolRules.ListenerCanForwardTo(listenerProtocol, pool.Protocol);
    }
}

public static class CreateListenerHandler
{
    public static Task<CommandOutcome<Guid>> Handle(CreateListener command, IDocumentSession session,
        IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var listenerId = Guid.CreateVersion7();
        return LoadBalancerStreamCommand.DecideAndAppend(session, command.LoadBalancerId, listenerId,
            state => CreateListenerRules.Decide(state, command, listenerId, clock.GetUtcNow()), cancellation, usage);
    }
}
