using System.Net;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Gateway.DataPlane;
using Marten;

namespace Elb.Gateway.Listeners;

/// <summary>
/// Where listeners are served, from the nodes' heartbeats: on every online node that carries the load balancer and does
/// not report the listener unserved, at the load balancer's VIP as that node maps it. Addresses only: which nodes
/// serve it is Elb's business.
/// </summary>
public sealed class ServedAt(IReadOnlyList<(DataPlaneNode Node, VipMap Map)> online)
{
    public static async Task<ServedAt> LoadAsync(IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var nodes = await session.Query<DataPlaneNode>().ToListAsync(cancellation);
        return new([.. nodes.Where(n => n.IsOnline(now)).Select(n => (n, VipMap.Parse(n.VipMap)))]);
    }

    public IReadOnlyList<string> Of(LoadBalancer loadBalancer, Listener listener) =>
        loadBalancer.VipAddress is not { } vip || !ProtocolRules.ServedByNodes.Contains(listener.Protocol)
            ? []
            : [.. online
                .Where(n => n.Node.LoadBalancers.ContainsKey(loadBalancer.Id) && n.Node.Unserved?.ContainsKey(listener.Id) != true)
                .Select(n => n.Map.LocalAddress(IPAddress.Parse(vip))).OfType<IPAddress>()
                .Select(address => $"{address}:{listener.ProtocolPort}")
                .Distinct().Order(StringComparer.Ordinal)];
}
