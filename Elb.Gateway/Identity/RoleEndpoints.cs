using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

/// <summary>A role as Keystone lists a user's roles in a project: <c>{"name": "elb_viewer"}</c>.</summary>
public sealed record RoleName(ElbRole Name);

public sealed record RoleAssignmentResource(string ProjectId, string UserId, ElbRole Role, DateTimeOffset GrantedAt)
{
    public static RoleAssignmentResource From(RoleAssignment a) => new(a.ProjectId, a.UserId.ToString("N"), a.Role, a.GrantedAt);
}

/// <summary>Role assignments in Keystone v3's shape: per project (its admins), or system-wide (system admins).</summary>
public static class RoleEndpoints
{
    [WolverinePut("/v3/projects/{projectId}/users/{userId}/roles/{role}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    public static Task<IResult> Grant(string projectId, Guid userId, string role, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new GrantRole(projectId, userId, role), (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    [WolverineDelete("/v3/projects/{projectId}/users/{userId}/roles/{role}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    public static Task<IResult> Revoke(string projectId, Guid userId, string role, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new RevokeRole(projectId, userId, role), (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    [WolverineGet("/v3/projects/{projectId}/users/{userId}/roles")]
    [ElbAnswer("roles", typeof(RoleName), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    public static async Task<IResult> OfUser(string projectId, Guid userId, IQuerySession session, CancellationToken cancellation)
    {
        var assignments = await session.Query<RoleAssignment>()
            .Where(a => a.ProjectId == projectId && a.UserId == userId).ToListAsync(cancellation);
        return Results.Json(new Dictionary<string, object>
        {
            ["roles"] = assignments.Select(a => new RoleName(a.Role)).ToList(),
        }, ElbJson.Options);
    }

    [WolverineGet("/v3/projects/{projectId}/role_assignments")]
    [ElbAnswer("role_assignments", typeof(RoleAssignmentResource), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    public static async Task<IResult> OfProject(string projectId, IQuerySession session, CancellationToken cancellation)
    {
        var assignments = await session.Query<RoleAssignment>().Where(a => a.ProjectId == projectId).ToListAsync(cancellation);
        return Results.Json(new Dictionary<string, object>
        {
            ["role_assignments"] = assignments.OrderBy(a => a.Id).Select(RoleAssignmentResource.From).ToList(),
        }, ElbJson.Options);
    }

    [WolverinePut("/v3/system/users/{userId}/roles/{role}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> GrantSystem(Guid userId, string role, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new GrantRole(null, userId, role), (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    [WolverineDelete("/v3/system/users/{userId}/roles/{role}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> RevokeSystem(Guid userId, string role, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new RevokeRole(null, userId, role), (_, _) => Task.FromResult(Results.NoContent()), cancellation);
}
