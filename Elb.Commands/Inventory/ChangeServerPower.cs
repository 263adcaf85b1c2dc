using System.Text.Json.Serialization;
using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Inventory;

public sealed record ChangeServerPower(string ProjectId, string ServerId, string? Action);

/// <summary>What the compute service is asked to do to a server, spelled as its API spells it.</summary>
[JsonConverter(typeof(WireNameConverter<ServerPowerAction>))]
public enum ServerPowerAction
{
    [JsonStringEnumMemberName("stop")] Stop,
    [JsonStringEnumMemberName("start")] Start,
    [JsonStringEnumMemberName("restart")] Restart,
}

/// <summary>A power action the rules allow, and the server's status after it.</summary>
public sealed record ServerPowerChange(ServerPowerAction Action, ServerStatus Status);

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
    /// <summary>The action named and the server's status after it, or why it cannot be taken; an action that changes nothing is a no-op.</summary>
    public static (ServerPowerChange? Change, RuleViolation? Violation) Decide(Server? server, ChangeServerPower command)
    {
        if (server is null) return (null, RuleViolation.NotFound("Server", command.ServerId));
        if (command.Action is null) return (null, RuleViolation.MissingField("action"));
        if (!WireNames<ServerPowerAction>.TryParse(command.Action, out var action))
        {
            return (null, RuleViolation.Invalid("ELB.UnsupportedServerAction",
                $"Server action '{command.Action}' is not one of {WireNames<ServerPowerAction>.All}."));
        }
        return action switch
        {
            ServerPowerAction.Stop => (new(action, ServerStatus.Stopped), null),
            ServerPowerAction.Start => (new(action, ServerStatus.Running), null),
            ServerPowerAction.Restart when server.Status == ServerStatus.Stopped => (null, RuleViolation.Conflict("ELB.ServerStopped",
                $"Server {server.Id} is stopped; start it instead of restarting it.")),
            ServerPowerAction.Restart => (new(action, ServerStatus.Running), null),
        };
    }

    public static Decision MemberEvents(LoadBalancer? loadBalancer, Server server, ServerPowerAction action, DateTimeOffset now) =>
        loadBalancer is null
            ? Decision.Accept()
            : Decision.Accept(loadBalancer.Pools.SelectMany(pool => pool.Members
                .Where(m => m.InstanceId == server.Id)
                .Select(m => new BackendServerPowerChanged(m.Id, pool.Id, loadBalancer.ProjectId, loadBalancer.Id,
                    server.Id, PastTense(action), now))));

    /// <summary>What the member's event records: what happened to its server.</summary>
    private static string PastTense(ServerPowerAction action) => action switch
    {
        ServerPowerAction.Stop => "stopped",
        ServerPowerAction.Start => "started",
        ServerPowerAction.Restart => "restarted",
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
        var (change, violation) = ServerPowerRules.Decide(server, command);
        if (violation is not null) return CommandOutcome<Server>.Refused(violation);
        var now = clock.GetUtcNow();
        var changesStatus = change!.Status != server!.Status;
        if (!changesStatus && change.Action != ServerPowerAction.Restart) return new CommandOutcome<Server>(server, null);

        var changed = server with { Status = change.Status, UpdatedAt = now };
        session.Store(changed);
        var loadBalancerIds = await membership.LoadBalancersServedByAsync(session, command.ProjectId, command.ServerId, cancellation);
        // Several streams in one transaction, so not Wolverine's one-stream aggregate workflow: each locked as it does,
        // in order, so two power actions touching the same load balancers cannot deadlock.
        foreach (var loadBalancerId in loadBalancerIds.Order())
        {
            var stream = await session.Events.FetchForExclusiveWriting<LoadBalancer>(loadBalancerId, cancellation);
            var members = ServerPowerRules.MemberEvents(stream.Aggregate.OwnedBy(command.ProjectId), server, change.Action, now);
            stream.AppendMany(members.Events);
        }
        return new CommandOutcome<Server>(changed, null);
    }
}
