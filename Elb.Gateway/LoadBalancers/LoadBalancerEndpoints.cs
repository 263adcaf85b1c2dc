using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.LoadBalancers;

public sealed record CreateLoadBalancerRequest(CreateLoadBalancer? LoadBalancer);

public static class LoadBalancerEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/loadbalancers")]
    public static async Task<IResult> Create(string projectId, CreateLoadBalancerRequest request, IMessageBus bus,
        IQuerySession session, CancellationToken cancellation)
    {
        if (request.LoadBalancer is null) return RuleViolation.MissingField("loadbalancer").ToProblem();

        var outcome = await bus.InvokeAsync<CommandOutcome>(request.LoadBalancer with { ProjectId = projectId }, cancellation);
        if (outcome.Violation is { } violation) return violation.ToProblem();

        var view = await session.LoadAsync<LoadBalancerView>(outcome.ResourceId, cancellation);
        return ElbResults.Created("loadbalancer", view!);
    }

    [WolverineGet("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}")]
    public static async Task<IResult> Get(string projectId, Guid loadBalancerId, IQuerySession session,
        CancellationToken cancellation)
    {
        var view = await session.LoadAsync<LoadBalancerView>(loadBalancerId, cancellation);
        return view?.ProjectId == projectId
            ? ElbResults.Ok("loadbalancer", view)
            : RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem();
    }
}
