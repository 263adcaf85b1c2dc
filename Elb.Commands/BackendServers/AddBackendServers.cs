using System.Net;
using System.Net.Sockets;
using Elb.Commands.Egress;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Quotas;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using Marten;
using Wolverine.Marten;

namespace Elb.Commands.BackendServers;

/// <summary>
/// A member as asked for: an inventory server by <see cref="InstanceId"/> (Elb's way) or by <see cref="Address"/> in
/// <see cref="SubnetCidrId"/> (ELB v3's way), or an IP as backend (<see cref="Address"/> alone).
/// </summary>
public sealed record MemberInput(
    string? Name,
    string? InstanceId,
    string? Address,
    int? ProtocolPort,
    int? Weight,
    string? AvailabilityZone,
    string? SubnetCidrId = null);

/// <summary>Adds members to a pool, all or none; a single add is a batch of one.</summary>
public sealed record AddBackendServers(string ProjectId, Guid LoadBalancerId, Guid PoolId, IReadOnlyList<MemberInput> Members);

public sealed record BackendServerAdded(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Address,
    int ProtocolPort,
    int Weight,
    string MemberType,
    string? InstanceId,
    string? SubnetCidrId,
    string? AvailabilityZone,
    string? Os,
    MemberOperatingStatus OperatingStatus,
    bool EntersSlowStart,
    DateTimeOffset AddedAt) : ILoadBalancerEvent;

/// <summary>An inventory server named by a member, with the subnet that places it in a VPC.</summary>
public sealed record InventoryServer(Server Server, Subnet? Subnet);

public static class AddBackendServersRules
{
    public const int DefaultWeight = 1;
    public const int MaxWeight = 100;
    public const int MaxMembersPerLoadBalancer = 492;

    /// <param name="servers">The servers the members name, by id or by address in a subnet.</param>
    /// <param name="subnets">The subnets members name by <c>subnet_cidr_id</c>.</param>
    public static Decision Decide(LoadBalancer? state, AddBackendServers command,
        IReadOnlyDictionary<string, InventoryServer> servers, EgressPolicy egress, IReadOnlyList<Guid> memberIds, DateTimeOffset now,
        IReadOnlyDictionary<string, Subnet>? subnets = null)
    {
        if (MemberBatch.CountFits(command.Members.Count) is { } refused) return refused;
        if (state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId) is null) return RuleViolation.NotFound("Pool", command.PoolId);

        return MemberBatch.DecideEach(state!, command.Members, (current, member, i) =>
            DecideOne(current, current.FindPool(command.PoolId)!, member, servers, subnets ?? new Dictionary<string, Subnet>(), egress,
                memberIds[i], now));
    }

    private static Decision DecideOne(LoadBalancer loadBalancer, Pool pool, MemberInput input,
        IReadOnlyDictionary<string, InventoryServer> servers, IReadOnlyDictionary<string, Subnet> subnets, EgressPolicy egress,
        Guid memberId, DateTimeOffset now)
    {
        if (input.InstanceId is null && string.IsNullOrWhiteSpace(input.Address))
        {
            return RuleViolation.MissingField("member.address (or member.instance_id)");
        }
        if (input.ProtocolPort is not { } port) return RuleViolation.MissingField("member.protocol_port");
        if (port is < 1 or > 65535)
        {
            return RuleViolation.Invalid("ELB.InvalidProtocolPort", $"Member protocol_port {port} is outside 1-65535.");
        }
        var weight = input.Weight ?? DefaultWeight;
        if (weight is < 0 or > MaxWeight)
        {
            return RuleViolation.Invalid("ELB.InvalidWeight", $"Member weight {weight} is outside 0-{MaxWeight}.");
        }

        var placement = input.InstanceId is { } instanceId ? InstanceMember(loadBalancer, pool, input, instanceId, servers)
            : input.SubnetCidrId is { } subnetId ? ServerAtAddress(loadBalancer, pool, input, subnetId, servers, subnets)
            : IpMember(loadBalancer, pool, input);
        if (placement.Violation is { } refused) return refused;
        var member = placement.Member!;
        // Health probes go where the member is, so this one check also keeps monitors off denied addresses.
        if (egress.Check(IPAddress.Parse(member.Address), port) is { } denied) return denied;

        if (pool.Members.FirstOrDefault(m => m.Address == member.Address && m.ProtocolPort == port) is { } twin)
        {
            return RuleViolation.Conflict("ELB.DuplicateMember",
                $"Pool {pool.Id} already has member {twin.Id} at {member.Address}:{port}.");
        }
        if (loadBalancer.MemberCount >= MaxMembersPerLoadBalancer)
        {
            return RuleViolation.Conflict("ELB.MemberLimitReached",
                $"Load balancer {loadBalancer.Id} already has {loadBalancer.MemberCount} backend servers, the most one load balancer can have ({MaxMembersPerLoadBalancer}).");
        }

        var entersSlowStart = SlowStartRules.NewMemberEnters(pool);
        var added = new BackendServerAdded(memberId, pool.Id, loadBalancer.ProjectId, loadBalancer.Id, input.Name ?? "",
            member.Address, port, weight, member.MemberType, member.InstanceId, member.SubnetCidrId,
            member.AvailabilityZone, member.Os, pool.IsMonitored ? MemberOperatingStatus.Offline : MemberOperatingStatus.NoMonitor,
            entersSlowStart, now);
        return entersSlowStart && !pool.IsMonitored
            ? Decision.Accept(added, SlowStartRules.Begin(loadBalancer, pool, memberId, now))
            : Decision.Accept(added);
    }

    private sealed record Placement(string Address, string MemberType, string? InstanceId, string? SubnetCidrId,
        string? AvailabilityZone, string? Os);

    private static (Placement? Member, RuleViolation? Violation) InstanceMember(LoadBalancer loadBalancer, Pool pool,
        MemberInput input, string instanceId, IReadOnlyDictionary<string, InventoryServer> servers)
    {
        if (!servers.TryGetValue(instanceId, out var found)) return (null, RuleViolation.NotFound("Server", instanceId));
        var (server, subnet) = found;
        if (pool.Type == "ip")
        {
            return (null, RuleViolation.Conflict("ELB.PoolTypeMismatch",
                $"Pool {pool.Id} takes only IP as backend members, not server {server.Id}."));
        }
        if (input.Address is { } address && address != server.Address)
        {
            return (null, RuleViolation.Invalid("ELB.MemberAddressMismatch",
                $"Server {server.Id} has address {server.Address}, not {address}."));
        }
        if (subnet?.VpcId != loadBalancer.VpcId)
        {
            return (null, RuleViolation.Conflict("ELB.MemberNotInVpc",
                $"Server {server.Id} is in VPC {subnet?.VpcId ?? "(unknown)"}, but load balancer {loadBalancer.Id} is in VPC {loadBalancer.VpcId}; backend servers must be in the load balancer's VPC (outside it, enable IP as a backend and add them by address)."));
        }
        if (pool.Members.FirstOrDefault(m => m.Os is not null) is { } other && other.Os != server.Os)
        {
            return (null, RuleViolation.Conflict("ELB.MemberOsMismatch",
                $"Backend servers of a pool must run the same OS: pool {pool.Id} runs {other.Os}, server {server.Id} runs {server.Os}."));
        }
        return (new Placement(server.Address, "instance", server.Id, server.SubnetId, server.AvailabilityZone, server.Os), null);
    }

    /// <summary>ELB v3's member in the VPC: the inventory server at <c>address</c> in <c>subnet_cidr_id</c>.</summary>
    private static (Placement? Member, RuleViolation? Violation) ServerAtAddress(LoadBalancer loadBalancer, Pool pool,
        MemberInput input, string subnetId, IReadOnlyDictionary<string, InventoryServer> servers, IReadOnlyDictionary<string, Subnet> subnets)
    {
        if (!subnets.TryGetValue(subnetId, out var subnet)) return (null, RuleViolation.NotFound("Subnet", subnetId));
        if (!IPAddress.TryParse(input.Address, out var address) || !IPNetwork.Parse(subnet.Cidr).Contains(address))
        {
            return (null, RuleViolation.Invalid("ELB.MemberAddressNotInSubnet",
                $"The member address '{input.Address}' is not in subnet {subnetId} ({subnet.Cidr})."));
        }
        return servers.Values.FirstOrDefault(s => s.Server.SubnetId == subnetId && s.Server.Address == address.ToString()) is { } found
            ? InstanceMember(loadBalancer, pool, input, found.Server.Id, servers)
            : (null, RuleViolation.NotFound("Server", $"at {address} in subnet {subnetId}"));
    }

    private static (Placement? Member, RuleViolation? Violation) IpMember(LoadBalancer loadBalancer, Pool pool, MemberInput input)
    {
        if (!IPAddress.TryParse(input.Address, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return (null, RuleViolation.Invalid("ELB.IpMemberMustBeIpv4",
                $"IP as backend servers must use IPv4 addresses; '{input.Address}' is not one."));
        }
        if (!loadBalancer.IpTargetEnable)
        {
            return (null, RuleViolation.Conflict("ELB.IpAsBackendDisabled",
                $"Load balancer {loadBalancer.Id} does not have IP as a backend enabled, so a member must be an inventory server in VPC {loadBalancer.VpcId} (give instance_id), not the address {address}."));
        }
        if (pool.Type == "instance")
        {
            return (null, RuleViolation.Conflict("ELB.PoolTypeMismatch",
                $"Pool {pool.Id} takes only cloud servers (instance_id), not the IP address {address}."));
        }
        return (new Placement(address.ToString(), "ip", null, null, input.AvailabilityZone, null), null);
    }
}

public static class AddBackendServersHandler
{
    public static async Task<(CommandOutcome<IReadOnlyList<Guid>>, Events)> Handle(AddBackendServers command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, IDocumentSession session,
        EgressPolicy egress, IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var (servers, subnets) = await LoadInventoryAsync(session, command, cancellation);
        if (await ServerLocks.TryShareAsync(session, command.ProjectId, servers.Keys, cancellation) is { } busy)
        {
            return (CommandOutcome<IReadOnlyList<Guid>>.Refused(busy), []);
        }
        IReadOnlyList<Guid> memberIds = [.. command.Members.Select(_ => Guid.CreateVersion7())];
        return await AddBackendServersRules.Decide(state, command, servers, egress, memberIds, clock.GetUtcNow(), subnets)
            .OutcomeWithinQuotaAsync(state, memberIds, session, usage, cancellation);
    }

    /// <summary>The servers members name by id or by address in a subnet, and the subnets they name.</summary>
    private static async Task<(IReadOnlyDictionary<string, InventoryServer>, IReadOnlyDictionary<string, Subnet>)> LoadInventoryAsync(
        IDocumentSession session, AddBackendServers command, CancellationToken cancellation)
    {
        var byId = command.Members.Select(m => m.InstanceId).OfType<string>().Distinct()
            .Select(id => InventoryKey.Server(command.ProjectId, id)).ToList();
        var named = command.Members.Where(m => m.InstanceId is null && m.SubnetCidrId is not null).ToList();
        if (byId.Count == 0 && named.Count == 0) return (new Dictionary<string, InventoryServer>(), new Dictionary<string, Subnet>());

        var servers = byId.Count == 0 ? [] : (await session.LoadManyAsync<Server>(cancellation, byId)).ToList();
        if (named.Count > 0)
        {
            var subnetIds = named.Select(m => m.SubnetCidrId!).Distinct().ToList();
            var addresses = named.Select(m => m.Address).OfType<string>().Distinct().ToList();
            servers.AddRange(await session.Query<Server>()
                .Where(s => s.ProjectId == command.ProjectId && subnetIds.Contains(s.SubnetId) && addresses.Contains(s.Address))
                .ToListAsync(cancellation));
        }
        var subnetKeys = servers.Select(s => s.SubnetId).Concat(named.Select(m => m.SubnetCidrId!)).Distinct()
            .Select(id => InventoryKey.Subnet(command.ProjectId, id)).ToList();
        var subnets = (await session.LoadManyAsync<Subnet>(cancellation, subnetKeys)).ToDictionary(s => s.Id);
        return (servers.DistinctBy(s => s.Id).ToDictionary(s => s.Id, s => new InventoryServer(s, subnets.GetValueOrDefault(s.SubnetId))),
            subnets);
    }
}
