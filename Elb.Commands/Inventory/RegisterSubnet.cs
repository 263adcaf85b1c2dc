using System.Net;
using System.Net.Sockets;
using Marten;

namespace Elb.Commands.Inventory;

/// <summary>Registers a subnet, or with <see cref="Replace"/> updates a registered one.</summary>
public sealed record RegisterSubnet(
    string ProjectId,
    string? Id,
    string? VpcId,
    string? Cidr,
    string? AvailabilityZone,
    bool Replace = false);

public static class RegisterSubnetRules
{
    public static (Subnet? Subnet, RuleViolation? Violation) Decide(Subnet? existing, RegisterSubnet command,
        DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(command.Id)) return (null, RuleViolation.MissingField("subnet.id"));
        if (string.IsNullOrWhiteSpace(command.VpcId)) return (null, RuleViolation.MissingField("subnet.vpc_id"));
        if (string.IsNullOrWhiteSpace(command.Cidr)) return (null, RuleViolation.MissingField("subnet.cidr"));
        if (string.IsNullOrWhiteSpace(command.AvailabilityZone))
        {
            return (null, RuleViolation.MissingField("subnet.availability_zone"));
        }
        if (!IPNetwork.TryParse(command.Cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            return (null, RuleViolation.Invalid("ELB.InvalidCidr", $"'{command.Cidr}' is not an IPv4 CIDR such as 10.0.1.0/24."));
        }
        if (command.Replace && existing is null) return (null, RuleViolation.NotFound("Subnet", command.Id));
        if (!command.Replace && existing is not null)
        {
            return (null, RuleViolation.Conflict("ELB.SubnetAlreadyRegistered", $"Subnet {command.Id} is already registered."));
        }

        return (new Subnet(InventoryKey.Subnet(command.ProjectId, command.Id), command.Id, command.ProjectId,
            command.VpcId, network.ToString(), command.AvailabilityZone, existing?.CreatedAt ?? now, now), null);
    }
}

public static class RegisterSubnetHandler
{
    public static async Task<CommandOutcome<Subnet>> Handle(RegisterSubnet command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var existing = command.Id is null ? null
            : await session.LoadAsync<Subnet>(InventoryKey.Subnet(command.ProjectId, command.Id), cancellation);
        var (subnet, violation) = RegisterSubnetRules.Decide(existing, command, clock.GetUtcNow());
        if (violation is not null) return CommandOutcome<Subnet>.Refused(violation);

        session.Store(subnet!);
        return new CommandOutcome<Subnet>(subnet, null);
    }
}
