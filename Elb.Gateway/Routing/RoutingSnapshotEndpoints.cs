using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Marten;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.Routing;

/// <summary>
/// What a data-plane node loads at start and after a gap: each load balancer's state with the stream version it
/// reflects, so the node applies only events newer than that.
/// </summary>
public static class RoutingSnapshotEndpoints
{
    [WolverineGet("/v3/internal/routing-snapshot")]
    [ElbAnswer(typeof(RoutingSnapshot))]
    [Authorize(Policy = ElbPolicy.DataPlaneRead)]
    public static async Task<IResult> All(IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(null, cancellation);
        return Results.Json(new RoutingSnapshot(loadBalancers), ElbJson.Options);
    }

    [WolverineGet("/v3/internal/routing-snapshot/{loadBalancerId}")]
    [ElbAnswer("loadbalancer", typeof(LoadBalancer))]
    [Authorize(Policy = ElbPolicy.DataPlaneRead)]
    public static async Task<IResult> One(Guid loadBalancerId, IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancer = await session.LoadLoadBalancerAsync(loadBalancerId, cancellation);
        return loadBalancer is null
            ? RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem()
            : ElbResults.Resource("loadbalancer", loadBalancer);
    }
}
