using System.Net;
using System.Net.Sockets;
using Marten;

namespace Elb.Commands.Inventory;

public sealed record RegisterServer(
    string ProjectId,
    string? Id,
    string? Name,
    string? SubnetId,
    string? Address,
    string? Os,
    string? AvailabilityZone,
    string? Status);

public static class RegisterServerRules
{
    public static (Server? Server, RuleViolation? Violation) Decide(Server? existing, Subnet? subnet,
        RegisterServer command, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.Id)) return (null, RuleViolation.MissingField("server.id"));
        if (string.IsNullOrWhiteSpace(command.SubnetId)) return (null, RuleViolation.MissingField("server.subnet_id"));
        if (string.IsNullOrWhiteSpace(command.Address)) return (null, RuleViolation.MissingField("server.address"));
        if (string.IsNullOrWhiteSpace(command.Os)) return (null, RuleViolation.MissingField("server.os"));
        if (existing is not null)
        {
            return (null, RuleViolation.Conflict("ELB.ServerAlreadyRegistered", $"Server {command.Id} is already registered."));
        }
        if (subnet is null) return (null, RuleViolation.NotFound("Subnet", command.SubnetId));
        if (!IPAddress.TryParse(command.Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return (null, RuleViolation.Invalid("ELB.InvalidServerAddress", $"Server address '{command.Address}' is not a private IPv4 address."));
        }
        if (!IPNetwork.Parse(subnet.Cidr).Contains(address))
        {
            return (null, RuleViolation.Invalid("ELB.AddressNotInSubnet",
                $"Address {address} is not in subnet {subnet.Id} ({subnet.Cidr})."));
        }
        var status = ServerStatus.Running;
        if (command.Status is { } named && !WireNames<ServerStatus>.TryParse(named, out status))
        {
            return (null, RuleViolation.Invalid("ELB.InvalidServerStatus", $"Server status '{named}' is not running or stopped."));
        }

        return (new Server(InventoryKey.Server(command.ProjectId, command.Id), command.Id, command.ProjectId,
            command.Name ?? "", subnet.Id, address.ToString(), command.Os, command.AvailabilityZone ?? subnet.AvailabilityZone,
            status, now, now), null);
    }
}

public static class RegisterServerHandler
{
    public static async Task<CommandOutcome<Server>> Handle(RegisterServer command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var existing = command.Id is null ? null
            : await session.LoadAsync<Server>(InventoryKey.Server(command.ProjectId, command.Id), cancellation);
        var subnet = command.SubnetId is null ? null
            : await session.LoadAsync<Subnet>(InventoryKey.Subnet(command.ProjectId, command.SubnetId), cancellation);
        var (server, violation) = RegisterServerRules.Decide(existing, subnet, command, clock.GetUtcNow());
        if (violation is not null) return CommandOutcome<Server>.Refused(violation);

        session.Store(server!);
        return new CommandOutcome<Server>(server, null);
    }
}

public sealed record RenameServer(string ProjectId, string ServerId, string? Name);

public static class RenameServerHandler
{
    public static async Task<CommandOutcome<Server>> Handle(RenameServer command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var server = await session.LoadAsync<Server>(InventoryKey.Server(command.ProjectId, command.ServerId), cancellation);
        if (server is null) return CommandOutcome<Server>.Refused(RuleViolation.NotFound("Server", command.ServerId));
        if (command.Name is null || command.Name == server.Name) return new CommandOutcome<Server>(server, null);

        var renamed = server with { Name = command.Name, UpdatedAt = clock.GetUtcNow() };
        session.Store(renamed);
        return new CommandOutcome<Server>(renamed, null);
    }
}
