using Elb.Commands;
using Elb.Commands.BackendServers;
using Elb.Gateway.BackendServerGroups;
using Elb.Projections.BackendServers;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.BackendServers;

public sealed record AddMemberRequest(AddBackendServer? Member);

public static class MemberEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members")]
    public static async Task<IResult> Add(string projectId, Guid poolId, AddMemberRequest request, IMessageBus bus,
        IQuerySession session, CancellationToken cancellation)
    {
        if (request.Member is null) return RuleViolation.MissingField("member").ToProblem();
        if (await session.LoadPoolOfProject(projectId, poolId, cancellation) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", poolId).ToProblem();
        }

        var command = request.Member with { ProjectId = projectId, PoolId = poolId, LoadBalancerId = pool.LoadBalancerId };
        var outcome = await bus.InvokeAsync<CommandOutcome>(command, cancellation);
        if (outcome.Violation is { } violation) return violation.ToProblem();

        var view = await session.LoadAsync<MemberView>(outcome.ResourceId, cancellation);
        return ElbResults.Created("member", view!);
    }

    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}/members")]
    public static async Task<IResult> List(string projectId, Guid poolId, IQuerySession session,
        CancellationToken cancellation)
    {
        if (await session.LoadPoolOfProject(projectId, poolId, cancellation) is null)
        {
            return RuleViolation.NotFound("Pool", poolId).ToProblem();
        }
        var members = await session.Query<MemberView>().Where(m => m.PoolId == poolId)
            .OrderBy(m => m.CreatedAt).ToListAsync(cancellation);
        return ElbResults.Ok("members", members);
    }

    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}/members/{memberId}")]
    public static async Task<IResult> Get(string projectId, Guid poolId, Guid memberId, IQuerySession session,
        CancellationToken cancellation)
    {
        var view = await session.LoadAsync<MemberView>(memberId, cancellation);
        return view is not null && view.ProjectId == projectId && view.PoolId == poolId
            ? ElbResults.Ok("member", view)
            : RuleViolation.NotFound("Member", memberId).ToProblem();
    }
}
