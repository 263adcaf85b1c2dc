using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.HealthChecks;
using Marten;
using Wolverine;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.HealthChecks;

public sealed record HealthMonitorRequest(HealthMonitorInput? HealthMonitor);

public static class HealthMonitorEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/healthmonitors")]
    [ElbAnswer("healthmonitor", typeof(HealthMonitorResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Create(string projectId, HealthMonitorRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation)
    {
        if (request.HealthMonitor is null) return RuleViolation.MissingField("healthmonitor").ToProblem();
        if (request.HealthMonitor.PoolId is not { } poolId) return RuleViolation.MissingField("healthmonitor.pool_id").ToProblem();
        if (await locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", poolId).ToProblem();
        }
        return await bus.Execute<Guid>(new CreateHealthMonitor(projectId, pool.LoadBalancerId, request.HealthMonitor),
            outcome => Task.FromResult(ElbResults.Created("healthmonitor", Rendered(outcome))),
            cancellation);
    }

    /// <summary>ELB v3's list, filtered by any of its fields (<c>pool_id</c>, <c>type</c>, ...).</summary>
    [WolverineGet("/v3/{projectId}/elb/healthmonitors")]
    [ElbAnswer("healthmonitors", typeof(HealthMonitorResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(projectId, cancellation);
        var monitors = loadBalancers.SelectMany(lb => lb.Pools.Where(p => p.HealthMonitor is not null)
            .Select(p => HealthMonitorResource.From(lb, p, p.HealthMonitor!)));
        return ElbLists.Answer(request, "healthmonitors", monitors, m => m.Id.ToString());
    }

    [WolverineGet("/v3/{projectId}/elb/healthmonitors/{healthMonitorId}")]
    [ElbAnswer("healthmonitor", typeof(HealthMonitorResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid healthMonitorId, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation) =>
        await Render(session, await Find(locations, session, projectId, healthMonitorId, cancellation), cancellation) is { } monitor
            ? ElbResults.Resource("healthmonitor", monitor)
            : RuleViolation.NotFound("HealthMonitor", healthMonitorId).ToProblem();

    [WolverinePut("/v3/{projectId}/elb/healthmonitors/{healthMonitorId}")]
    [ElbAnswer("healthmonitor", typeof(HealthMonitorResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Update(string projectId, Guid healthMonitorId, HealthMonitorRequest request,
        IMessageBus bus, ResourceLocations locations, IQuerySession session, CancellationToken cancellation) =>
        request.HealthMonitor is not { } input
            ? RuleViolation.MissingField("healthmonitor").ToProblem()
            : await bus.ExecuteLocated(await Find(locations, session, projectId, healthMonitorId, cancellation), "HealthMonitor", healthMonitorId,
                location => new UpdateHealthMonitor(projectId, location.LoadBalancerId, healthMonitorId, input),
                outcome => Task.FromResult(ElbResults.Resource("healthmonitor", Rendered(outcome))),
                cancellation);

    [WolverineDelete("/v3/{projectId}/elb/healthmonitors/{healthMonitorId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Delete(string projectId, Guid healthMonitorId, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation) =>
        await bus.ExecuteLocated(await Find(locations, session, projectId, healthMonitorId, cancellation), "HealthMonitor", healthMonitorId,
            location => new DeleteHealthMonitor(projectId, location.LoadBalancerId, healthMonitorId), ElbResults.NoContent, cancellation);

    private static Task<ResourceLocation?> Find(ResourceLocations locations, IQuerySession session, string projectId, Guid healthMonitorId,
        CancellationToken cancellation) =>
        locations.FindAsync(session, projectId, ResourceKind.HealthMonitor, healthMonitorId, cancellation);

    /// <summary>The health monitor a command made or changed, as the command left it.</summary>
    private static HealthMonitorResource Rendered(CommandOutcome<Guid> outcome)
    {
        var pool = outcome.After!.Pools.First(p => p.HealthMonitor?.Id == outcome.Value);
        return HealthMonitorResource.From(outcome.After, pool, pool.HealthMonitor!);
    }

    private static async Task<HealthMonitorResource?> Render(IQuerySession session, ResourceLocation? location,
        CancellationToken cancellation) =>
        await session.LoadHolderAsync(location, cancellation) is { } loadBalancer
        && loadBalancer.FindPool(location!.PoolId!.Value) is { HealthMonitor: { } monitor } pool
            ? HealthMonitorResource.From(loadBalancer, pool, monitor)
            : null;
}
