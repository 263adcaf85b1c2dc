using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Inventory;

public sealed record ChangeServerPower(string ProjectId, string ServerId, string? Action);

/// <summary>
/// Rule 14: a member's server was stopped, started or restarted. "Connections established with the server will be
/// disconnected": data-plane nodes drop that member's connections when they see it.
/// </summary>
public sealed record BackendServerPowerChanged(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string ServerId,
    string Action,
    DateTimeOffset ChangedAt) : ILoadBalancerEvent;

public static class ServerPowerRules
{
    public static readonly string[] Actions = ["stop", "start", "restart"];

    /// <summary>The server's status after the action, or why it cannot be taken; an action that changes nothing is a no-op.</summary>
    public static (string? Status, RuleViolation? Violation) Decide(Server? server, ChangeServerPower command)
    {
        if (server is null) return (null, RuleViolation.NotFound("Server", command.ServerId));
        if (command.Action is null) return (null, RuleViolation.MissingField("action"));
        return command.Action switch
        {
            "stop" => (ServerStatus.Stopped, null),
            "start" => (ServerStatus.Running, null),
            "restart" when server.Status == ServerStatus.Stopped => (null, RuleViolation.Conflict("ELB.ServerStopped",
                $"Server {server.Id} is stopped; start it instead of restarting it.")),
            "restart" => (ServerStatus.Running, null),
            _ => (null, RuleViolation.Invalid("ELB.UnsupportedServerAction",
                $"Server action '{command.Action}' is not one of {string.Join(", ", Actions)}.")),
        };
    }

    public static Decision MemberEvents(LoadBalancer? loadBalancer, Server server, string action, DateTimeOffset now) =>
        loadBalancer is null
            ? Decision.Accept()
            : Decision.Accept(loadBalancer.Pools.SelectMany(pool => pool.Members
                .Where(m => m.InstanceId == server.Id)
                .Select(m => new BackendServerPowerChanged(m.Id, pool.Id, loadBalancer.ProjectId, loadBalancer.Id,
                    server.Id, PastTense(action), now))));

    private static string PastTense(string action) => action switch
    {
        "stop" => "stopped",
        "start" => "started",
        _ => "restarted",
    };
}

public static class ChangeServerPowerHandler
{
    public static async Task<CommandOutcome<Server>> Handle(ChangeServerPower command, IDocumentSession session,
        IServerMembership membership, TimeProvider clock, CancellationToken cancellation)
    {
        // Under the server's lock no other power action decides on a stale status and no member of it is being
        // added: the load balancers found below are all it serves in.
        await ServerLocks.TakeAsync(session, command.ProjectId, command.ServerId, cancellation);
        var server = await session.LoadAsync<Server>(InventoryKey.Server(command.ProjectId, command.ServerId), cancellation);
        var (status, violation) = ServerPowerRules.Decide(server, command);
        if (violation is not null) return CommandOutcome<Server>.Refused(violation);
        var now = clock.GetUtcNow();
        var changesStatus = status != server!.Status;
        if (!changesStatus && command.Action != "restart") return new CommandOutcome<Server>(server, null);

        var changed = server with { Status = status!, UpdatedAt = now };
        session.Store(changed);
        var loadBalancerIds = await membership.LoadBalancersServedByAsync(session, command.ProjectId, command.ServerId, cancellation);
        // Several streams in one transaction, so not Wolverine's one-stream aggregate workflow: each locked as it does,
        // in order, so two power actions touching the same load balancers cannot deadlock.
        foreach (var loadBalancerId in loadBalancerIds.Order())
        {
            var stream = await session.Events.FetchForExclusiveWriting<LoadBalancer>(loadBalancerId, cancellation);
            var members = ServerPowerRules.MemberEvents(stream.Aggregate.OwnedBy(command.ProjectId), server, command.Action!, now);
            stream.AppendMany(members.Events);
        }
        return new CommandOutcome<Server>(changed, null);
    }
}
