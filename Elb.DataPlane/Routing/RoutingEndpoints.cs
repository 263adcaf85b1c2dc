using Elb.Commands;

namespace Elb.DataPlane.Routing;

/// <summary>Read-only views of what this node would route to, for people and tests.</summary>
public static class RoutingEndpoints
{
    public static void MapRouting(this IEndpointRouteBuilder endpoints, string nodeId)
    {
        endpoints.MapGet("/routing", (RoutingTable table) =>
        {
            var state = table.Current;
            return Results.Json(new
            {
                NodeId = nodeId,
                LoadBalancers = state.LoadBalancers.Values.OrderBy(lb => lb.Id).Select(lb => new
                {
                    lb.Id,
                    lb.Version,
                    Pools = lb.Pools.Select(p => state.Pools[p.Id]),
                }),
            }, ElbJson.Options);
        });

        endpoints.MapGet("/routing/{poolId:guid}", (Guid poolId, RoutingTable table) =>
            table.Current.Pools.TryGetValue(poolId, out var pool)
                ? Results.Json(new { Pool = pool }, ElbJson.Options)
                : Results.Problem(statusCode: 404, title: "ELB.PoolNotFound",
                    detail: $"Pool {poolId} is not routed by node {nodeId}.",
                    extensions: new Dictionary<string, object?> { ["error_code"] = "ELB.PoolNotFound" }));
    }
}
