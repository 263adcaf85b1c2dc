using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Routing;
using Elb.DataPlane.SlowStart;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>Which members take new requests, and with what weight now.</summary>
public static class Eligibility
{
    /// <summary>Weight 0 and OFFLINE members take no new requests.</summary>
    public static bool TakesNewRequests(RouteMember member) =>
        member.Weight > 0 && member.OperatingStatus != MemberOperatingStatus.Offline;

    /// <summary>
    /// The members a new request may go to. When none is healthy the pool fails open: every member with a weight
    /// takes requests again, as AWS target groups do, because a health check that fails everywhere is more often
    /// wrong than every server being down. Only when every weight is 0 is there nowhere to go.
    /// </summary>
    public static int[] Candidates(PoolRoute route)
    {
        var healthy = Indexes(route, TakesNewRequests);
        return healthy.Length > 0 ? healthy : Indexes(route, m => m.Weight > 0);
    }

    public static double EffectiveWeight(RouteMember member, DateTimeOffset now) =>
        member.Weight * SlowStartRamp.Factor(member, now);

    private static int[] Indexes(PoolRoute route, Func<RouteMember, bool> take) =>
        [.. Enumerable.Range(0, route.Members.Length).Where(i => take(route.Members[i]))];
}
