using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Which load balancers this node holds otherwise than the control plane, for two checks in a row: one check alone
/// proves little (a change may be on its way to the node), two a few tens of seconds apart mean a lost event. A copy
/// newer than the control plane's list is not different: the list is older than the copy.
/// </summary>
public sealed class DigestDrift
{
    private HashSet<Guid> _differedLastTime = [];

    /// <summary>Compares this check's lists; the load balancers that differed at this check and at the one before.</summary>
    public IReadOnlyList<Guid> Check(IReadOnlyList<RoutingDigestEntry> controlPlane, IReadOnlyList<RoutingDigestEntry> node)
    {
        var nodes = node.ToDictionary(n => n.LoadBalancerId);
        var known = controlPlane.Select(c => c.LoadBalancerId).ToHashSet();
        var differing = controlPlane
            .Where(c => nodes.GetValueOrDefault(c.LoadBalancerId) is not { } copy || (copy.Version <= c.Version && copy.Digest != c.Digest))
            .Select(c => c.LoadBalancerId)
            .Concat(node.Where(n => !known.Contains(n.LoadBalancerId)).Select(n => n.LoadBalancerId))
            .ToHashSet();
        var lasting = differing.Where(_differedLastTime.Contains).ToList();
        _differedLastTime = differing;
        return lasting;
    }
}
