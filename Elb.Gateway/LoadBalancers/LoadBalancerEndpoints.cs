using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Elb.Gateway.Listeners;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.LoadBalancers;
using Elb.Gateway.History;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.LoadBalancers;

public sealed record CreateLoadBalancerRequest(CreateLoadBalancer? LoadBalancer);

public sealed record UpdateLoadBalancerRequest(UpdateLoadBalancer? LoadBalancer);

/// <param name="PublicIp">Whether ELB v3 also deletes the load balancer's EIPs: Elb has none, so it changes nothing.</param>
public sealed record DeleteCascadeOptions(bool? UnboundedPool, bool? PublicIp);

public sealed record DeleteLoadBalancerCascadeRequest(DeleteCascadeOptions? LoadBalancer);

public sealed record LoadBalancerStatuses(LoadBalancerStatus LoadBalancer);

public static class LoadBalancerEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/loadbalancers")]
    [ElbAnswer("loadbalancer", typeof(LoadBalancerResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Create(string projectId, CreateLoadBalancerRequest request, IMessageBus bus,
        IQuerySession session, CancellationToken cancellation) =>
        request.LoadBalancer is null
            ? Task.FromResult(RuleViolation.MissingField("loadbalancer").ToProblem())
            : bus.Execute<Guid>(request.LoadBalancer with { ProjectId = projectId },
                async (id, _) => ElbResults.Created("loadbalancer",
                    LoadBalancerResource.From((await session.LoadLoadBalancerAsync(id, cancellation))!)), cancellation);

    [WolverineGet("/v3/{projectId}/elb/loadbalancers")]
    [ElbAnswer("loadbalancers", typeof(LoadBalancerResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(projectId, cancellation);
        return ElbLists.Answer(request, "loadbalancers", loadBalancers.Select(LoadBalancerResource.From), r => r.Id.ToString());
    }

    /// <summary>The load balancer now, or with <c>as_of</c> (RFC 3339) or <c>version</c> as it was then, with everything in it.</summary>
    [WolverineGet("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}")]
    [ElbAnswer("loadbalancer", typeof(LoadBalancerResource), AsOf = typeof(LoadBalancerAsOf))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid loadBalancerId, [FromQuery(Name = "as_of")] DateTimeOffset? asOf,
        long? version, ResourceLocations locations, IQuerySession session, CancellationToken cancellation)
    {
        if (asOf is not null || version is not null)
        {
            return await TimeTravel.LoadAsync(locations, session, projectId, loadBalancerId, version, asOf, cancellation) is { } then
                ? ElbResults.Resource("loadbalancer", then)
                : TimeTravel.NotThen("LoadBalancer", loadBalancerId, version, asOf);
        }
        return await session.LoadLoadBalancerAsync(projectId, loadBalancerId, cancellation) is { } loadBalancer
            ? ElbResults.Resource("loadbalancer", LoadBalancerResource.From(loadBalancer))
            : RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem();
    }

    [WolverinePut("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}")]
    [ElbAnswer("loadbalancer", typeof(LoadBalancerResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Update(string projectId, Guid loadBalancerId, UpdateLoadBalancerRequest request,
        IMessageBus bus, CancellationToken cancellation) =>
        request.LoadBalancer is null
            ? Task.FromResult(RuleViolation.MissingField("loadbalancer").ToProblem())
            : bus.Execute<Guid>(request.LoadBalancer with { ProjectId = projectId, LoadBalancerId = loadBalancerId },
                outcome => Task.FromResult(ElbResults.Resource("loadbalancer", LoadBalancerResource.From(outcome.After!))), cancellation);

    [WolverineDelete("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Delete(string projectId, Guid loadBalancerId, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new DeleteLoadBalancer(projectId, loadBalancerId),
            (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    /// <summary>ELB v3's <c>delete_load_balancer_cascade</c>: with its listeners, pools, health monitors and members.</summary>
    [WolverinePost("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/delete-cascade")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> DeleteCascade(string projectId, Guid loadBalancerId, DeleteLoadBalancerCascadeRequest request,
        IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new DeleteLoadBalancerCascade(projectId, loadBalancerId, request.LoadBalancer?.UnboundedPool ?? true),
            (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    /// <summary>Rule 13: per availability zone, members and healthy members, and a warning for a zone with none healthy.</summary>
    [WolverineGet("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/statuses")]
    [ElbAnswer("statuses", typeof(LoadBalancerStatuses))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Statuses(string projectId, Guid loadBalancerId, IQuerySession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        if (await session.LoadLoadBalancerAsync(projectId, loadBalancerId, cancellation) is not { } loadBalancer)
        {
            return RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem();
        }
        var serving = await ListenerServing.LoadAsync(session, clock, cancellation);
        return ElbResults.Resource("statuses", new LoadBalancerStatuses(StatusTree.From(loadBalancer, l => serving.Of(loadBalancer, l))));
    }
}
