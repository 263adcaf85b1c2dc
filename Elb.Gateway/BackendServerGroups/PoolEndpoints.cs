using Elb.Commands;
using Elb.Commands.BackendServerGroups;
using Elb.Projections.BackendServerGroups;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.BackendServerGroups;

public sealed record CreatePoolRequest(CreateBackendServerGroup? Pool);

public static class PoolEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/pools")]
    public static async Task<IResult> Create(string projectId, CreatePoolRequest request, IMessageBus bus,
        IQuerySession session, CancellationToken cancellation)
    {
        if (request.Pool is null) return RuleViolation.MissingField("pool").ToProblem();

        var outcome = await bus.InvokeAsync<CommandOutcome>(request.Pool with { ProjectId = projectId }, cancellation);
        if (outcome.Violation is { } violation) return violation.ToProblem();

        var view = await session.LoadAsync<PoolView>(outcome.ResourceId, cancellation);
        return ElbResults.Created("pool", view!);
    }

    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}")]
    public static async Task<IResult> Get(string projectId, Guid poolId, IQuerySession session,
        CancellationToken cancellation)
    {
        var view = await session.LoadPoolOfProject(projectId, poolId, cancellation);
        return view is null ? RuleViolation.NotFound("Pool", poolId).ToProblem() : ElbResults.Ok("pool", view);
    }

    /// <summary>A pool of another project is as invisible as one that does not exist.</summary>
    public static async Task<PoolView?> LoadPoolOfProject(this IQuerySession session, string projectId, Guid poolId,
        CancellationToken cancellation)
    {
        var view = await session.LoadAsync<PoolView>(poolId, cancellation);
        return view?.ProjectId == projectId ? view : null;
    }
}
