using Elb.Commands.Inventory;
using Elb.Commands.Listeners;

namespace Elb.Commands.LoadBalancers;

/// <summary>The guide's conditions for IP as backend servers, shared by creation and update.</summary>
public static class IpAsBackendRules
{
    /// <summary>"The subnet where the load balancer works must have ... at least 16 IP addresses": /28 or shorter.</summary>
    public const int LongestSubnetPrefix = 28;

    public static readonly Protocol[] ListenerProtocols = [Protocol.Tcp, Protocol.Http, Protocol.Https];

    public static RuleViolation? CanEnable(bool guaranteed, Subnet? vipSubnet, IEnumerable<Listener> listeners)
    {
        if (!guaranteed)
        {
            return RuleViolation.Conflict("ELB.IpAsBackendNeedsDedicated",
                "IP as a backend applies only to dedicated load balancers (guaranteed = true).");
        }
        if (vipSubnet is null)
        {
            return RuleViolation.Conflict("ELB.IpAsBackendSubnetTooSmall",
                "IP as a backend needs the load balancer's subnet (vip_subnet_cidr_id) to have at least 16 addresses; the load balancer has no subnet.");
        }
        if (vipSubnet.PrefixLength > LongestSubnetPrefix)
        {
            return RuleViolation.Conflict("ELB.IpAsBackendSubnetTooSmall",
                $"IP as a backend needs at least 16 addresses in the load balancer's subnet; {vipSubnet.Id} ({vipSubnet.Cidr}) has {1 << (32 - vipSubnet.PrefixLength)}.");
        }
        if (listeners.FirstOrDefault(l => !ListenerProtocols.Contains(l.Protocol)) is { } listener)
        {
            return RuleViolation.Conflict("ELB.IpAsBackendListenerProtocol",
                $"IP as a backend allows only TCP, HTTP and HTTPS listeners; the {listener.Protocol.WireName()} listener on port {listener.ProtocolPort} must go first.");
        }
        return null;
    }
}
