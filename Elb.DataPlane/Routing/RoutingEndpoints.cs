using Elb.Commands;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Traffic;
using OpenTelemetry.Metrics;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Read-only views of what this node routes to, and what-if runs of its algorithms, for operators: they show every
/// tenant's members, so they need a token of a system role. <c>/metrics</c> (OpenTelemetry's Prometheus exporter: the
/// meter <c>Elb.DataPlane</c>, Wolverine's and the runtime's) stays open for Prometheus, which scrapes
/// from inside the operator's network (the admin port is never one a tenant's listener can take).
/// </summary>
public static class RoutingEndpoints
{
    public const string AdminPolicy = "node-admin";

    public static void MapRouting(this IEndpointRouteBuilder app, string nodeId)
    {
        app.MapPrometheusScrapingEndpoint().AllowAnonymous();

        var endpoints = app.MapGroup("").RequireAuthorization(AdminPolicy);
        endpoints.MapGet("/routing", (RoutingTable table, ListenerManager listeners) =>
        {
            var state = table.Current;
            var unserved = listeners.Unserved;
            return Results.Json(new
            {
                NodeId = nodeId,
                LoadBalancers = state.LoadBalancers.Values.OrderBy(lb => lb.Id).Select(lb => new
                {
                    lb.Id,
                    lb.Version,
                    Digest = RoutingDigest.Of(lb),
                    lb.VipAddress,
                    // whether this node serves each listener, and why not (what its heartbeats tell the gateway)
                    Listeners = lb.Listeners.Select(l => new
                    {
                        l.Id, l.Protocol, l.ProtocolPort,
                        Serving = !unserved.ContainsKey(l.Id) && ProtocolRules.ServedByNodes.Contains(l.Protocol),
                        Reason = unserved.GetValueOrDefault(l.Id),
                    }),
                    Pools = lb.Pools.Select(p => state.Pools[p.Id]),
                }),
            }, ElbJson.Options);
        });

        endpoints.MapGet("/routing/{poolId:guid}", (Guid poolId, RoutingRuntime runtime) =>
            runtime.For(poolId) is { } pool
                ? Results.Json(new { Pool = Describe(pool, runtime.Time.GetUtcNow()) }, ElbJson.Options)
                : PoolNotRouted(poolId, nodeId));

        endpoints.MapPost("/routing/{poolId:guid}/simulate", (Guid poolId, SimulationRequest? request, RoutingTable table,
            RoutingRuntime runtime) =>
        {
            request ??= new SimulationRequest(null, null, null);
            if (RoutingSimulation.Refusal(request) is { } refusal) return refusal.ToProblem();
            if (!table.Current.Pools.TryGetValue(poolId, out var route)) return PoolNotRouted(poolId, nodeId);
            using var detached = runtime.Detached(route, SharedRandomSource.Instance);
            return Results.Json(new { Simulation = RoutingSimulation.Run(detached, request) }, ElbJson.Options);
        });
    }

    private static object Describe(PoolRuntime pool, DateTimeOffset now)
    {
        var route = pool.Route;
        return new
        {
            route.Id,
            route.LoadBalancerId,
            route.Protocol,
            route.LbAlgorithm,
            route.SessionPersistence,
            Members = route.Members.Select((m, i) => new
            {
                m.Id,
                m.Address,
                m.ProtocolPort,
                m.Weight,
                EffectiveWeight = pool.TakesNewRequests(i) ? Eligibility.EffectiveWeight(m, now) : 0,
                TakesNewRequests = pool.TakesNewRequests(i),
                m.OperatingStatus,
                m.AvailabilityZone,
                SlowStart = new { StartedAt = m.SlowStartStartedAt, EndsAt = m.SlowStartEndsAt },
                ActiveConnections = pool.Counters[i].Active,
                Handled = pool.Counters[i].Handled,
                Failures = pool.Counters[i].Failures,
            }),
        };
    }

    private static IResult PoolNotRouted(Guid poolId, string nodeId) =>
        new RuleViolation("ELB.PoolNotFound", $"Pool {poolId} is not routed by node {nodeId}.", 404).ToProblem();
}
