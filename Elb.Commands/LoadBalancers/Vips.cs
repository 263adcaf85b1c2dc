using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Elb.Commands.Egress;
using Elb.Commands.Inventory;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// A VIP a load balancer holds, kept by an inline projection of load balancer streams and gone with the load balancer.
/// Elb's nodes share one network, so a VIP is unique across the installation, not only in its subnet: two projects
/// with the same VIP could not both be served on one node.
/// </summary>
/// <param name="Value">The address as a number, for range queries over a subnet.</param>
public sealed record VipAllocation(Guid Id, string Address, long Value, string ProjectId);

/// <summary>Which subnet and address a new load balancer's VIP takes (ELB v3: given, or the lowest free one).</summary>
public static class VipRules
{
    /// <summary>Every VIP choice waits for this transaction-scoped PostgreSQL advisory lock, so two never take one address.</summary>
    public const long AllocationLockKey = 0x454C425F564950; // "ELB_VIP"

    /// <summary>Without <c>vip_subnet_cidr_id</c>, as ELB v3 does: the VPC's subnet with the most addresses (then by id).</summary>
    public static Subnet? ChooseSubnet(IEnumerable<Subnet> subnetsOfVpc) =>
        subnetsOfVpc.OrderBy(s => s.PrefixLength).ThenBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>The addresses of <paramref name="subnet"/> a VIP may take: all but the network, gateway (first) and broadcast addresses.</summary>
    public static (uint First, uint Last) Usable(Subnet subnet)
    {
        var network = IPNetwork.Parse(subnet.Cidr);
        var start = ToNumber(network.BaseAddress);
        var end = start + (uint)((1UL << (32 - network.PrefixLength)) - 1);
        return (start + 2, end - 1);
    }

    /// <param name="taken">Addresses of the subnet already held: VIPs of any project, servers of this one.</param>
    public static (string? Address, RuleViolation? Violation) Choose(Subnet subnet, string? requested, IReadOnlySet<uint> taken,
        EgressPolicy policy)
    {
        var (first, last) = Usable(subnet);
        if (requested is not null)
        {
            if (!IPAddress.TryParse(requested, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            {
                return (null, RuleViolation.Invalid("ELB.InvalidVipAddress", $"'{requested}' is not an IPv4 address."));
            }
            var value = ToNumber(address);
            if (!IPNetwork.Parse(subnet.Cidr).Contains(address))
            {
                return (null, RuleViolation.Invalid("ELB.VipAddressNotInSubnet",
                    $"The VIP {address} is not in subnet {subnet.Id} ({subnet.Cidr})."));
            }
            if (value < first || value > last)
            {
                return (null, RuleViolation.Invalid("ELB.InvalidVipAddress",
                    $"{address} is the network, gateway or broadcast address of subnet {subnet.Id} ({subnet.Cidr}), not a VIP."));
            }
            if (taken.Contains(value))
            {
                return (null, RuleViolation.Conflict("ELB.VipAddressInUse", $"The address {address} is already in use."));
            }
            return Allowed(address, policy);
        }
        for (var value = first; value <= last && value >= first; value++)
        {
            if (!taken.Contains(value)) return Allowed(FromNumber(value), policy);
        }
        return (null, RuleViolation.Conflict("ELB.VipSubnetFull",
            $"Subnet {subnet.Id} ({subnet.Cidr}) has no free address left for a VIP."));
    }

    private static (string?, RuleViolation?) Allowed(IPAddress address, EgressPolicy policy) =>
        policy.RefusesAddress(address) is { } rule
            ? (null, RuleViolation.Invalid("ELB.VipAddressNotAllowed", $"{address} cannot be a VIP: {rule.Why}."))
            : (address.ToString(), null);

    public static uint ToNumber(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    public static IPAddress FromNumber(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}

/// <summary>
/// Where a node serves a VIP. In production a node binds the VIP itself, present on its interfaces. On one machine
/// (run.sh, tests, compose) a node translates VIPs into loopback addresses of its own, rule by rule, each rule mapping
/// a range onto one of the same size (<c>10.0.0.0/16=127.5.0.0/16</c>), so every VIP gets its own address and several
/// nodes fit on one host. A VIP no rule covers is bound as it is, unless it lies in a rule's target range: that
/// address may be another VIP's, so it is not served (VIPs are unique, so served addresses are too).
/// </summary>
public sealed class VipMap
{
    private readonly (IPNetwork From, IPNetwork To)[] _rules;

    private VipMap((IPNetwork, IPNetwork)[] rules) => _rules = rules;

    public static readonly VipMap None = new([]);

    /// <summary>The rules as configured, <c>from=to</c> separated by commas: what a node reports in its heartbeats.</summary>
    public IReadOnlyList<string> Rules => [.. _rules.Select(r => $"{r.From}={r.To}")];

    /// <exception cref="FormatException">A rule is not <c>cidr=cidr</c> of two IPv4 ranges of one size.</exception>
    /// <exception cref="FormatException">Two rules overlap, in what they map or in where they map it.</exception>
    public static VipMap Parse(IEnumerable<string>? rules)
    {
        var parsed = (rules ?? [])
            .SelectMany(r => r.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(ParseRule).ToArray();
        for (var i = 0; i < parsed.Length; i++)
        {
            for (var j = i + 1; j < parsed.Length; j++)
            {
                if (Overlap(parsed[i].Item1, parsed[j].Item1) || Overlap(parsed[i].Item2, parsed[j].Item2))
                {
                    throw new FormatException($"VIP map rules '{parsed[i].Item1}={parsed[i].Item2}' and '{parsed[j].Item1}={parsed[j].Item2}' overlap.");
                }
            }
        }
        return new(parsed);
    }

    private static bool Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    private static (IPNetwork, IPNetwork) ParseRule(string rule)
    {
        if (rule.Split('=', 2, StringSplitOptions.TrimEntries) is [var from, var to]
            && IPNetwork.TryParse(from, out var source) && IPNetwork.TryParse(to, out var target)
            && source.BaseAddress.AddressFamily == AddressFamily.InterNetwork
            && target.BaseAddress.AddressFamily == AddressFamily.InterNetwork
            && source.PrefixLength == target.PrefixLength)
        {
            return (source, target);
        }
        throw new FormatException($"VIP map rule '{rule}' is not 'cidr=cidr' with two IPv4 ranges of the same size.");
    }

    /// <summary>Where <paramref name="vip"/> is served, or null where it cannot be (it lies where other VIPs are mapped).</summary>
    public IPAddress? LocalAddress(IPAddress vip)
    {
        foreach (var (from, to) in _rules)
        {
            if (!from.Contains(vip)) continue;
            return VipRules.FromNumber(VipRules.ToNumber(to.BaseAddress) + (VipRules.ToNumber(vip) - VipRules.ToNumber(from.BaseAddress)));
        }
        return _rules.Any(r => r.To.Contains(vip)) ? null : vip;
    }
}
