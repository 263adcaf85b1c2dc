using System.Net;
using Elb.Commands;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Gateway.DataPlane;
using Elb.Projections.Listeners;
using Elb.Projections.LoadBalancers;
using Marten;

namespace Elb.Gateway.Listeners;

/// <summary>
/// Whether and where listeners are served, from the nodes' heartbeats: on every online node that carries the load
/// balancer and does not report the listener unserved, at the load balancer's VIP as that node maps it. ONLINE where
/// every online node serves it, DEGRADED where some do, OFFLINE where none does, with the reasons the nodes gave.
/// Addresses and reasons only: which nodes serve it is Elb's business.
/// </summary>
public sealed class ListenerServing(IReadOnlyList<(DataPlaneNode Node, VipMap Map)> online)
{
    public static async Task<ListenerServing> LoadAsync(IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var nodes = await session.Query<DataPlaneNode>().ToListAsync(cancellation);
        return new([.. nodes.Where(n => n.IsOnline(now)).Select(n => (n, VipMap.Parse(n.VipMap)))]);
    }

    public ListenerServingState Of(LoadBalancer loadBalancer, Listener listener)
    {
        if (!ProtocolRules.ServedByNodes.Contains(listener.Protocol))
        {
            return Offline($"{listener.Protocol.WireName()} listeners are not served by Elb's nodes yet.");
        }
        if (loadBalancer.VipAddress is not { } vip) return Offline("The load balancer has no VIP (it was created before VIPs were).");
        if (online.Count == 0) return Offline("No data-plane node is online.");
        var served = new List<string>();
        var reasons = new List<string>();
        foreach (var (node, map) in online)
        {
            if (!node.LoadBalancers.ContainsKey(loadBalancer.Id)) reasons.Add("A node has not applied this load balancer yet.");
            else if (node.Unserved?.GetValueOrDefault(listener.Id) is { } why) reasons.Add($"A node cannot serve it: {why}.");
            else if (map.LocalAddress(IPAddress.Parse(vip)) is not { } address) reasons.Add("A node's VIP map keeps this VIP's address for another.");
            else served.Add($"{address}:{listener.ProtocolPort}");
        }
        var status = reasons.Count == 0 ? OperatingStatus.Online : served.Count > 0 ? OperatingStatus.Degraded : OperatingStatus.Offline;
        return new([.. served.Distinct().Order(StringComparer.Ordinal)], status, [.. reasons.Distinct()]);
    }

    private static ListenerServingState Offline(string reason) => new([], OperatingStatus.Offline, [reason]);
}
