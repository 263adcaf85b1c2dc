using System.Net;
using Microsoft.Extensions.Configuration;

namespace Elb.Commands.Egress;

/// <summary>One range Elb never connects to on a tenant's behalf, all ports or only some, with the code a refusal names.</summary>
public sealed record EgressRule(string ErrorCode, string Why, IPNetwork Network, IReadOnlySet<int>? Ports = null)
{
    public bool Denies(IPAddress address, int port) => Network.Contains(address) && (Ports is null || Ports.Contains(port));
}

/// <summary>
/// Where members and health probes may not point: checked by the control plane when a member is accepted, and again by
/// every node before it opens a socket (proxying, TCP/UDP relays, probes), which no stale snapshot or forged message
/// gets around. Configuration, <c>Elb:Egress</c>: <c>Profile</c> <c>production</c> (the default: loopback is denied) or
/// <c>local</c> (one machine, as run.sh and the tests: loopback is allowed except Elb's own ports, <c>ServicePorts</c>),
/// and <c>Deny</c>, more ranges as <c>cidr</c> or <c>cidr:port,port</c> (Elb's own endpoints in production).
/// </summary>
public sealed class EgressPolicy(IReadOnlyList<EgressRule> rules)
{
    /// <summary>Elb's own services on one machine: gateway, node admin APIs, PostgreSQL, RabbitMQ (AMQP, management, clustering).</summary>
    public static readonly IReadOnlySet<int> DefaultServicePorts =
        new HashSet<int>([5080, 5090, 5091, 5092, 5093, 5094, 5095, 5432, 5672, 15672, 25672, 4369]);

    private static readonly EgressRule[] Always =
    [
        new("ELB.EgressLinkLocal", "link-local addresses reach the cloud's metadata service", IPNetwork.Parse("169.254.0.0/16")),
        new("ELB.EgressThisNetwork", "0.0.0.0/8 is not a host", IPNetwork.Parse("0.0.0.0/8")),
        new("ELB.EgressMulticast", "multicast addresses are not a backend server", IPNetwork.Parse("224.0.0.0/4")),
        new("ELB.EgressReserved", "240.0.0.0/4 is reserved, and holds the broadcast address", IPNetwork.Parse("240.0.0.0/4")),
    ];

    private static readonly IPNetwork Loopback = IPNetwork.Parse("127.0.0.0/8");

    public static readonly EgressPolicy Production = new([.. Always, LoopbackDenied()]);

    public IReadOnlyList<EgressRule> Rules => rules;

    public static EgressPolicy Local(IReadOnlySet<int> servicePorts) =>
        new([.. Always, new EgressRule("ELB.EgressElbService", "that is one of Elb's own services", Loopback, servicePorts)]);

    public static EgressPolicy From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Elb:Egress");
        var local = section["Profile"] is { } profile && profile.Equals("local", StringComparison.OrdinalIgnoreCase);
        var servicePorts = section.GetSection("ServicePorts").Get<int[]>() is { Length: > 0 } ports
            ? new HashSet<int>(ports) : DefaultServicePorts;
        var configured = (section.GetSection("Deny").Get<string[]>() ?? []).Select(ParseDeny);
        return new EgressPolicy([.. (local ? Local(servicePorts) : Production).Rules, .. configured]);
    }

    /// <summary>The rule that refuses <paramref name="address"/>:<paramref name="port"/>, or null where Elb may connect.</summary>
    public EgressRule? Refuses(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var rule in rules)
        {
            if (rule.Denies(address, port)) return rule;
        }
        return null;
    }

    /// <summary>The rule that refuses <paramref name="address"/> on every port: no VIP may be there either.</summary>
    public EgressRule? RefusesAddress(IPAddress address) =>
        rules.FirstOrDefault(rule => rule.Ports is null && rule.Network.Contains(address));

    public RuleViolation? Check(IPAddress address, int port) => Refuses(address, port) is { } rule
        ? RuleViolation.Invalid(rule.ErrorCode, $"Elb does not connect to {address}:{port}: {rule.Why}.")
        : null;

    private static EgressRule LoopbackDenied() =>
        new("ELB.EgressLoopback", "loopback addresses are the node itself", Loopback);

    private static EgressRule ParseDeny(string entry)
    {
        var (cidr, ports) = entry.Split(':', 2) is [var network, var list]
            ? (network, new HashSet<int>(list.Split(',').Select(int.Parse)))
            : (entry, null);
        return new EgressRule("ELB.EgressDenied", "the operator denies that range", IPNetwork.Parse(cidr), ports);
    }
}
