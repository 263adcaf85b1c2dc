using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.BackendServerGroups;
using Elb.Gateway.History;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.BackendServerGroups;

public sealed record CreatePoolRequest(CreateBackendServerGroup? Pool);

public sealed record UpdatePoolRequest(UpdateBackendServerGroup? Pool);

public static class PoolEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/pools")]
    [ElbAnswer("pool", typeof(PoolResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Create(string projectId, CreatePoolRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation)
    {
        if (request.Pool is not { } pool) return RuleViolation.MissingField("pool").ToProblem();
        // ELB v3 takes either id: a pool made for a listener belongs to the listener's load balancer.
        if (pool is { LoadBalancerId: null, ListenerId: { } listenerId })
        {
            if (await locations.FindAsync(session, projectId, ResourceKind.Listener, listenerId, cancellation) is not { } listener)
            {
                return RuleViolation.NotFound("Listener", listenerId).ToProblem();
            }
            pool = pool with { LoadBalancerId = listener.LoadBalancerId };
        }
        if (CreateBackendServerGroupRules.LoadBalancerMissing(pool) is { } missing) return missing.ToProblem();
        return await bus.Execute<Guid>(pool with { ProjectId = projectId },
            outcome => Task.FromResult(ElbResults.Created("pool", Rendered(outcome), outcome.Warnings)),
            cancellation);
    }

    [WolverineGet("/v3/{projectId}/elb/pools")]
    [ElbAnswer("pools", typeof(PoolResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(projectId, cancellation);
        var pools = loadBalancers.SelectMany(lb => lb.Pools.Select(p => PoolResource.From(lb, p)));
        return ElbLists.Answer(request, "pools", pools, p => p.Id.ToString());
    }

    /// <summary>The pool now, or with <c>as_of</c> (RFC 3339) as it was then, with its members.</summary>
    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}")]
    [ElbAnswer("pool", typeof(PoolResource), AsOf = typeof(PoolAsOf))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid poolId, [FromQuery(Name = "as_of")] DateTimeOffset? asOf,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation)
    {
        if (asOf is not null)
        {
            var loadBalancerId = await HistoryEndpoints.LoadBalancerOfPoolAsync(session, projectId, poolId, cancellation);
            var then = loadBalancerId is { } id ? await TimeTravel.LoadAsync(locations, session, projectId, id, null, asOf, cancellation) : null;
            return then?.Pools.FirstOrDefault(p => p.Pool.Id == poolId) is { } pool
                ? ElbResults.Resource("pool", pool)
                : TimeTravel.NotThen("Pool", poolId, null, asOf);
        }
        return await Render(session, await Find(locations, session, projectId, poolId, cancellation), cancellation) is { } current
            ? ElbResults.Resource("pool", current)
            : RuleViolation.NotFound("Pool", poolId).ToProblem();
    }

    [WolverinePut("/v3/{projectId}/elb/pools/{poolId}")]
    [ElbAnswer("pool", typeof(PoolResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Update(string projectId, Guid poolId, UpdatePoolRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation) =>
        request.Pool is not { } update
            ? RuleViolation.MissingField("pool").ToProblem()
            : await bus.ExecuteLocated(await Find(locations, session, projectId, poolId, cancellation), "Pool", poolId,
                location => update with { ProjectId = projectId, LoadBalancerId = location.LoadBalancerId, PoolId = poolId },
                outcome => Task.FromResult(ElbResults.Resource("pool", Rendered(outcome), warnings: outcome.Warnings)),
                cancellation);

    [WolverineDelete("/v3/{projectId}/elb/pools/{poolId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Delete(string projectId, Guid poolId, IMessageBus bus, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation) =>
        await bus.ExecuteLocated(await Find(locations, session, projectId, poolId, cancellation), "Pool", poolId,
            location => new DeleteBackendServerGroup(projectId, location.LoadBalancerId, poolId), ElbResults.NoContent, cancellation);

    /// <summary>ELB v3's <c>delete_pool_cascade</c>: the pool with its members and health monitor.</summary>
    [WolverineDelete("/v3/{projectId}/elb/pools/{poolId}/delete-cascade")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> DeleteCascade(string projectId, Guid poolId, IMessageBus bus, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation) =>
        await bus.ExecuteLocated(await Find(locations, session, projectId, poolId, cancellation), "Pool", poolId,
            location => new DeleteBackendServerGroupCascade(projectId, location.LoadBalancerId, poolId), ElbResults.NoContent, cancellation);

    private static Task<ResourceLocation?> Find(ResourceLocations locations, IQuerySession session, string projectId, Guid poolId,
        CancellationToken cancellation) =>
        locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation);

    /// <summary>The pool a command made or changed, as the command left it.</summary>
    private static PoolResource Rendered(CommandOutcome<Guid> outcome) =>
        PoolResource.From(outcome.After!, outcome.After!.FindPool(outcome.Value)!);

    private static async Task<PoolResource?> Render(IQuerySession session, ResourceLocation? location,
        CancellationToken cancellation) =>
        await session.LoadHolderAsync(location, cancellation) is { } loadBalancer && loadBalancer.FindPool(location!.Id) is { } pool
            ? PoolResource.From(loadBalancer, pool)
            : null;
}
