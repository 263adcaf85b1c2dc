using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.BackendServers;
using Marten;
using Wolverine;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.BackendServers;

public sealed record AddMemberRequest(MemberInput? Member);

public sealed record BatchAddMembersRequest(IReadOnlyList<MemberInput>? Members);

public sealed record UpdateMemberRequest(UpdateBackendServer? Member);

public sealed record BatchUpdateMembersRequest(IReadOnlyList<MemberChange>? Members);

public sealed record MemberRef(Guid? Id);

public sealed record BatchDeleteMembersRequest(IReadOnlyList<MemberRef>? Members);

/// <summary>ELB v3's answer per deleted member.</summary>
public sealed record DeletedMember(Guid Id, string RetStatus);

public sealed record HealthReportRequest(ReportMemberHealth? HealthReport);

public static class MemberEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members")]
    [ElbAnswer("member", typeof(MemberResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Add(string projectId, Guid poolId, AddMemberRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        request.Member is null
            ? Task.FromResult(RuleViolation.MissingField("member").ToProblem())
            : AddMembers(projectId, poolId, [request.Member], bus, locations, session, clock, cancellation,
                members => ElbResults.Created("member", members[0]));

    /// <summary>At most 200 members, all added or none.</summary>
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members/batch-add")]
    [ElbAnswer("members", typeof(MemberResource), Status = StatusCodes.Status201Created, Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> BatchAdd(string projectId, Guid poolId, BatchAddMembersRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        AddMembers(projectId, poolId, request.Members ?? [], bus, locations, session, clock, cancellation,
            members => ElbResults.Created("members", members));

    private static async Task<IResult> AddMembers(string projectId, Guid poolId, IReadOnlyList<MemberInput> members,
        IMessageBus bus, ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation,
        Func<IReadOnlyList<MemberResource>, IResult> answer)
    {
        if (MemberBatch.CountFits(members.Count) is { } refused) return refused.ToProblem();
        if (await locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation) is not { } location)
        {
            return RuleViolation.NotFound("Pool", poolId).ToProblem();
        }
        return await bus.Execute<IReadOnlyList<Guid>>(new AddBackendServers(projectId, location.LoadBalancerId, poolId, members),
            outcome =>
            {
                var pool = outcome.After!.FindPool(poolId)!;
                var now = clock.GetUtcNow();
                return Task.FromResult(answer([.. outcome.Value!.Select(id => MemberResource.From(outcome.After, pool, pool.FindMember(id)!, now))]));
            }, cancellation);
    }

    /// <summary>At most 200 members' names and weights, all changed or none.</summary>
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members/batch-update")]
    [ElbAnswer("members", typeof(MemberResource), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> BatchUpdate(string projectId, Guid poolId, BatchUpdateMembersRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var changes = request.Members ?? [];
        if (MemberBatch.CountFits(changes.Count) is { } refused) return refused.ToProblem();
        return await bus.ExecuteLocated(await locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation), "Pool", poolId,
            location => new BatchUpdateBackendServers(projectId, location.LoadBalancerId, poolId, changes),
            outcome =>
            {
                var pool = outcome.After!.FindPool(poolId)!;
                var now = clock.GetUtcNow();
                return Task.FromResult(ElbResults.Resource("members",
                    changes.Select(c => MemberResource.From(outcome.After, pool, pool.FindMember(c.Id!.Value)!, now)).ToList()));
            }, cancellation);
    }

    /// <summary>At most 200 members, all removed or none.</summary>
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members/batch-delete")]
    [ElbAnswer("members", typeof(DeletedMember), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> BatchDelete(string projectId, Guid poolId, BatchDeleteMembersRequest request, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation)
    {
        var ids = (request.Members ?? []).Select(m => m?.Id).ToList();
        if (MemberBatch.CountFits(ids.Count) is { } refused) return refused.ToProblem();
        return await bus.ExecuteLocated(await locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation), "Pool", poolId,
            location => new BatchRemoveBackendServers(projectId, location.LoadBalancerId, poolId, ids),
            _ => Task.FromResult(ElbResults.Resource("members", ids.Select(id => new DeletedMember(id!.Value, "successful")).ToList())),
            cancellation);
    }

    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}/members")]
    [ElbAnswer("members", typeof(MemberResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, Guid poolId, HttpRequest request,
        ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (await session.LoadHolderAsync(await locations.FindAsync(session, projectId, ResourceKind.Pool, poolId, cancellation), cancellation)
                is not { } loadBalancer
            || loadBalancer.FindPool(poolId) is not { } pool)
        {
            return RuleViolation.NotFound("Pool", poolId).ToProblem();
        }
        var now = clock.GetUtcNow();
        var members = pool.Members.Select(m => MemberResource.From(loadBalancer, pool, m, now));
        return ElbLists.Answer(request, "members", members, m => m.Id.ToString());
    }

    [WolverineGet("/v3/{projectId}/elb/pools/{poolId}/members/{memberId}")]
    [ElbAnswer("member", typeof(MemberResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid poolId, Guid memberId, ResourceLocations locations, IQuerySession session,
        TimeProvider clock, CancellationToken cancellation) =>
        await Render(session, await FindMember(locations, session, projectId, poolId, memberId, cancellation), clock, cancellation) is { } member
            ? ElbResults.Resource("member", member)
            : RuleViolation.NotFound("Member", memberId).ToProblem();

    [WolverinePut("/v3/{projectId}/elb/pools/{poolId}/members/{memberId}")]
    [ElbAnswer("member", typeof(MemberResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Update(string projectId, Guid poolId, Guid memberId, UpdateMemberRequest request,
        IMessageBus bus, ResourceLocations locations, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        request.Member is null
            ? RuleViolation.MissingField("member").ToProblem()
            : await bus.ExecuteLocated(await FindMember(locations, session, projectId, poolId, memberId, cancellation), "Member", memberId,
                location => request.Member with
                {
                    ProjectId = projectId, LoadBalancerId = location.LoadBalancerId, PoolId = poolId, MemberId = memberId,
                },
                outcome => Task.FromResult(ElbResults.Resource("member", Rendered(outcome, poolId, clock))),
                cancellation);

    [WolverineDelete("/v3/{projectId}/elb/pools/{poolId}/members/{memberId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static async Task<IResult> Remove(string projectId, Guid poolId, Guid memberId, IMessageBus bus,
        ResourceLocations locations, IQuerySession session, CancellationToken cancellation) =>
        await bus.ExecuteLocated(await FindMember(locations, session, projectId, poolId, memberId, cancellation), "Member", memberId,
            location => new RemoveBackendServer(projectId, location.LoadBalancerId, poolId, memberId), ElbResults.NoContent,
            cancellation);

    /// <summary>A data-plane node's health verdict, over HTTP (nodes send the same command over RabbitMQ).</summary>
    [WolverinePost("/v3/{projectId}/elb/pools/{poolId}/members/{memberId}/health-reports")]
    [ElbAnswer("member", typeof(MemberResource))]
    [Authorize(Policy = ElbPolicy.DataPlane)]
    public static async Task<IResult> ReportHealth(string projectId, Guid poolId, Guid memberId,
        HealthReportRequest request, IMessageBus bus, ResourceLocations locations, IQuerySession session, TimeProvider clock,
        CancellationToken cancellation) =>
        request.HealthReport is null
            ? RuleViolation.MissingField("health_report").ToProblem()
            : await bus.ExecuteLocated(await FindMember(locations, session, projectId, poolId, memberId, cancellation), "Member", memberId,
                location => request.HealthReport with
                {
                    ProjectId = projectId, LoadBalancerId = location.LoadBalancerId, PoolId = poolId, MemberId = memberId,
                },
                outcome => Task.FromResult(ElbResults.Resource("member", Rendered(outcome, poolId, clock))),
                cancellation);

    /// <summary>The member, found only under the pool the path names.</summary>
    private static async Task<ResourceLocation?> FindMember(ResourceLocations locations, IQuerySession session, string projectId, Guid poolId,
        Guid memberId, CancellationToken cancellation) =>
        await locations.FindAsync(session, projectId, ResourceKind.Member, memberId, cancellation) is { } location && location.PoolId == poolId
            ? location
            : null;

    /// <summary>The member a command changed, as the command left it.</summary>
    private static MemberResource Rendered(CommandOutcome<Guid> outcome, Guid poolId, TimeProvider clock)
    {
        var pool = outcome.After!.FindPool(poolId)!;
        return MemberResource.From(outcome.After, pool, pool.FindMember(outcome.Value)!, clock.GetUtcNow());
    }

    private static async Task<MemberResource?> Render(IQuerySession session, ResourceLocation? location, TimeProvider clock,
        CancellationToken cancellation) =>
        await session.LoadHolderAsync(location, cancellation) is { } loadBalancer
        && loadBalancer.FindPool(location!.PoolId!.Value) is { } pool && pool.FindMember(location.Id) is { } member
            ? MemberResource.From(loadBalancer, pool, member, clock.GetUtcNow())
            : null;
}

/// <summary>"View the load balancer that the backend server is associated with by the IP address or ID of the backend server."</summary>
public static class MemberLookupEndpoints
{
    [WolverineGet("/v3/{projectId}/elb/members")]
    [ElbAnswer("members", typeof(MemberResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Find(string projectId, string? address,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "instance_id")] string? instanceId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "loadbalancer_id")] Guid? loadBalancerId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "pool_id")] Guid? poolId, int? limit, string? marker,
        IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var query = session.Query<ResourceLocation>().Where(l => l.Kind == ResourceKind.Member && l.ProjectId == projectId);
        if (address is not null) query = query.Where(l => l.Address == address);
        if (instanceId is not null) query = query.Where(l => l.InstanceId == instanceId);
        if (loadBalancerId is not null) query = query.Where(l => l.LoadBalancerId == loadBalancerId);
        if (poolId is not null) query = query.Where(l => l.PoolId == poolId);
        var (locations, pageInfo) = Paging.Page(await query.ToListAsync(cancellation), l => l.Id.ToString(), limit, marker);

        var now = clock.GetUtcNow();
        var members = (await session.LoadMembersAsync(locations, cancellation)).Select(m => MemberResource.From(m, now)).ToList();
        return ElbResults.Page("members", (members, pageInfo));
    }
}
