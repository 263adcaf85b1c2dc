using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands.LoadBalancers;
using Marten;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.Routing;

/// <summary>
/// Every load balancer's version and digest as the control plane holds it: a node compares its copies with these
/// every few tens of seconds and reloads the ones that stay different (a lost final event would otherwise leave one
/// stale until its next change). A few dozen bytes per load balancer, where a snapshot is its whole state.
/// </summary>
public static class RoutingDigestEndpoints
{
    [WolverineGet("/v3/internal/routing-digests")]
    [ElbAnswer("loadbalancers", typeof(RoutingDigestEntry), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.DataPlaneRead)]
    public static async Task<IResult> All(IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(null, cancellation);
        return ElbResults.Resource("loadbalancers", loadBalancers.Select(RoutingDigestEntry.Of).ToList());
    }
}
