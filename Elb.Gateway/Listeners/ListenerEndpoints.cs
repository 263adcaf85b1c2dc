using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.Listeners;
using Marten;
using Wolverine;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.Listeners;

public sealed record CreateListenerRequest(CreateListener? Listener);

public sealed record UpdateListenerRequest(UpdateListener? Listener);

public static class ListenerEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/listeners")]
    [ElbAnswer("listener", typeof(ListenerResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Create(string projectId, CreateListenerRequest request, IMessageBus bus,
        IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        request.Listener is null
            ? Task.FromResult(RuleViolation.MissingField("listener").ToProblem())
            : CreateListenerRules.LoadBalancerMissing(request.Listener) is { } missing
            ? Task.FromResult(missing.ToProblem())
            : bus.Execute<Guid>(request.Listener with { ProjectId = projectId },
                async outcome => ElbResults.Created("listener", await RenderedAsync(session, clock, outcome, cancellation)),
                cancellation);

    [WolverineGet("/v3/{projectId}/elb/listeners")]
    [ElbAnswer("listeners", typeof(ListenerResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, HttpRequest request, IQuerySession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var loadBalancers = await session.ListLoadBalancersAsync(projectId, cancellation);
        var serving = await ListenerServing.LoadAsync(session, clock, cancellation);
        var listeners = loadBalancers.SelectMany(lb => lb.Listeners.Select(l => ListenerResource.From(lb, l, serving.Of(lb, l))));
        return ElbLists.Answer(request, "listeners", listeners, l => l.Id.ToString());
    }

    [WolverineGet("/v3/{projectId}/elb/listeners/{listenerId}")]
    [ElbAnswer("listener", typeof(ListenerResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid listenerId, ResourceLocations locations, IQuerySession session, TimeProvider clock,
        CancellationToken cancellation) =>
        await Render(session, clock, await Find(locations, session, projectId, listenerId, cancellation), cancellation) is { } listener
            ? ElbResults.Resource("listener", listener)
            : RuleViolation.NotFound("Listener", listenerId).ToProblem();

    [WolverinePut("/v3/{projectId}/elb/listeners/{listenerId}")]
    [ElbAnswer("listener", typeof(ListenerResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Update(string projectId, Guid listenerId, UpdateListenerRequest request,
        IMessageBus bus, ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        request.Listener is not { } update
            ? RuleViolation.MissingField("listener").ToProblem()
            : await bus.ExecuteLocated(await Find(locations, session, projectId, listenerId, cancellation), "Listener", listenerId,
                location => update with { ProjectId = projectId, LoadBalancerId = location.LoadBalancerId, ListenerId = listenerId },
                async outcome => ElbResults.Resource("listener", await RenderedAsync(session, clock, outcome, cancellation)),
                cancellation);

    [WolverineDelete("/v3/{projectId}/elb/listeners/{listenerId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Delete(string projectId, Guid listenerId, IMessageBus bus, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation) =>
        await bus.ExecuteLocated(await Find(locations, session, projectId, listenerId, cancellation), "Listener", listenerId,
            location => new DeleteListener(projectId, location.LoadBalancerId, listenerId), ElbResults.NoContent, cancellation);

    /// <summary>ELB v3's <c>delete_listener_force</c>: the listener goes even with a default pool; its pools stay, unbound.</summary>
    [WolverineDelete("/v3/{projectId}/elb/listeners/{listenerId}/force")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> ForceDelete(string projectId, Guid listenerId, IMessageBus bus, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation) =>
        await bus.ExecuteLocated(await Find(locations, session, projectId, listenerId, cancellation), "Listener", listenerId,
            location => new ForceDeleteListener(projectId, location.LoadBalancerId, listenerId), ElbResults.NoContent, cancellation);

    private static Task<ResourceLocation?> Find(ResourceLocations locations, IQuerySession session, string projectId, Guid listenerId,
        CancellationToken cancellation) =>
        locations.FindAsync(session, projectId, ResourceKind.Listener, listenerId, cancellation);

    /// <summary>The listener a command made or changed, as the command left it.</summary>
    private static Task<ListenerResource> RenderedAsync(IQuerySession session, TimeProvider clock, CommandOutcome<Guid> outcome,
        CancellationToken cancellation) =>
        ResourceAsync(session, clock, outcome.After!, outcome.After!.FindListener(outcome.Value)!, cancellation);

    private static async Task<ListenerResource?> Render(IQuerySession session, TimeProvider clock, ResourceLocation? location,
        CancellationToken cancellation) =>
        await session.LoadHolderAsync(location, cancellation) is { } loadBalancer
        && loadBalancer.FindListener(location!.Id) is { } listener
            ? await ResourceAsync(session, clock, loadBalancer, listener, cancellation)
            : null;

    /// <summary>The listener with where the nodes serve it now.</summary>
    private static async Task<ListenerResource> ResourceAsync(IQuerySession session, TimeProvider clock, LoadBalancer loadBalancer,
        Listener listener, CancellationToken cancellation) =>
        ListenerResource.From(loadBalancer, listener,
            (await ListenerServing.LoadAsync(session, clock, cancellation)).Of(loadBalancer, listener));
}
