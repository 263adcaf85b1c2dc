using System.Collections.Concurrent;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// The connections this node holds to each member: a connection pool and a cancellation per member, so they can be
/// dropped when the guide says ("connections established with the server will be disconnected"): the member is
/// removed, its weight set to 0, or its server stopped or restarted. A pool with connection draining keeps a leaving
/// member's connections for its drain timeout first, and drains a member that turns unhealthy the same way (ELB v3:
/// "on removal, on turning unhealthy, on weight 0"); without draining, an unhealthy member keeps its connections.
/// </summary>
public sealed class MemberConnections
{
    public sealed record Lane(HttpMessageInvoker Invoker, CancellationTokenSource Dropped);

    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();

    private readonly RoutingTable _table;
    private readonly TimeProvider _time;
    private readonly EgressGuard _egress;

    public MemberConnections(RoutingTable table, TimeProvider time, EgressGuard egress)
    {
        _table = table;
        _time = time;
        _egress = egress;
        table.Changed += DropThoseNoLongerServing;
    }

    /// <summary>What the relays ask before they connect to a member.</summary>
    public EgressGuard Egress => _egress;

    public Lane For(Guid memberId) => _lanes.GetOrAdd(memberId,
        _ => new Lane(new HttpMessageInvoker(_egress.Guard(ProxySockets.NewMemberHandler(), "proxy")), new CancellationTokenSource()));

    /// <summary>Cuts every connection to the member, in flight or idle; new requests open new ones.</summary>
    public void Drop(Guid memberId)
    {
        if (!_lanes.TryRemove(memberId, out var lane)) return;
        lane.Dropped.Cancel();
        lane.Invoker.Dispose();
    }

    /// <summary>Compares only the load balancer that changed: this runs on the table's writer for every change.</summary>
    private void DropThoseNoLongerServing(LoadBalancerChanged change)
    {
        // New to this node, as every load balancer is at start: nothing served before, nothing to drop.
        if (change.Before is null) return;
        var serving = Serving(change.After).Select(x => x.Member).ToHashSet();
        foreach (var (gone, drain) in Serving(change.Before).Where(x => !serving.Contains(x.Member)))
        {
            if (drain.Enable) _ = DropAfterDrainAsync(gone, TimeSpan.FromSeconds(drain.Timeout));
            else Drop(gone);
        }
    }

    /// <summary>Cuts what is left after the drain timeout, unless the member serves again by then.</summary>
    private async Task DropAfterDrainAsync(Guid memberId, TimeSpan drain)
    {
        await Task.Delay(drain, _time);
        var servesAgain = _table.Current.LoadBalancers.Values.SelectMany(Serving).Any(x => x.Member == memberId);
        if (!servesAgain) Drop(memberId);
    }

    private static IEnumerable<(Guid Member, ConnectionDrain Drain)> Serving(LoadBalancer? loadBalancer) =>
        loadBalancer?.Pools.SelectMany(p => p.Members
            .Where(m => m.Weight > 0 && !(p.ConnectionDrain.Enable && m.OperatingStatus == MemberOperatingStatus.Offline))
            .Select(m => (m.Id, p.ConnectionDrain))) ?? [];
}
