using Elb.Gateway.OpenApi;
using System.Security.Claims;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

public sealed record CreateUserRequest(CreateUserBody? User);

/// <summary>Keystone's user body; <c>default_project_id</c> is the project that owns the user.</summary>
public sealed record CreateUserBody(string? Name, string? Password, string? DefaultProjectId, string? Description);

public sealed record UserResource(string Id, string Name, string? DefaultProjectId, IReadOnlyList<ElbRole> SystemRoles,
    DateTimeOffset CreatedAt)
{
    public static UserResource From(User user) =>
        new(user.Id.ToString("N"), user.Name, user.ProjectId, user.SystemRoles, user.CreatedAt);
}

/// <summary>
/// Users in Keystone v3's shape. A project admin manages the users its project owns; a system admin manages all.
/// </summary>
public static class UserEndpoints
{
    [WolverinePost("/v3/users")]
    [ElbAnswer("user", typeof(UserResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Create(CreateUserRequest request, HttpContext http, AccessRules access,
        IMessageBus bus, CancellationToken cancellation)
    {
        if (request.User is not { } body) return RuleViolation.MissingField("user").ToProblem();
        var allowed = body.DefaultProjectId is { } projectId
            ? await access.AllowsAsync(http.User, Access.ProjectAdmin, projectId)
            : http.User.Holds(ElbRole.SystemAdmin);
        if (!allowed)
        {
            return UserAccess.Refused(body.DefaultProjectId is null
                ? "only elb_system_admin creates users without a default_project_id"
                : $"creating users of project {body.DefaultProjectId} needs elb_admin in it");
        }
        return await bus.Execute<User>(new CreateUser(body.Name, body.Password, body.DefaultProjectId, body.Description),
            (user, _) => Task.FromResult(ElbResults.Created("user", UserResource.From(user))), cancellation);
    }

    /// <summary>With <c>default_project_id</c>: that project's users (its admins may ask); without: all (system readers).</summary>
    [WolverineGet("/v3/users")]
    [ElbAnswer("users", typeof(UserResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> List(HttpContext http, [FromQuery(Name = "default_project_id")] string? projectId,
        int? limit, string? marker, AccessRules access, IQuerySession session, CancellationToken cancellation)
    {
        var allowed = projectId is not null
            ? await access.AllowsAsync(http.User, Access.ProjectAdmin, projectId)
              || UserAccess.ReadsEverything(http.User)
            : UserAccess.ReadsEverything(http.User);
        if (!allowed) return UserAccess.Refused("listing users needs elb_admin in their project, or a system role");
        var query = session.Query<User>().AsQueryable();
        if (projectId is not null) query = query.Where(u => u.ProjectId == projectId);
        var users = await query.ToListAsync(cancellation);
        return ElbResults.Page("users", Elb.Projections.Paging.Page(users.Select(UserResource.From), u => u.Id, limit, marker));
    }

    [WolverineGet("/v3/users/{userId}")]
    [ElbAnswer("user", typeof(UserResource))]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Get(Guid userId, HttpContext http, AccessRules access,
        IQuerySession session, CancellationToken cancellation) =>
        await UserAccess.FindAsync(session, access, http.User, userId, UserAction.Read, cancellation) is { } user
            ? ElbResults.Resource("user", UserResource.From(user))
            : UserStream.NotFound(userId).ToProblem();

    [WolverineDelete("/v3/users/{userId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Delete(Guid userId, HttpContext http, AccessRules access,
        IQuerySession session, IMessageBus bus, CancellationToken cancellation) =>
        await UserAccess.FindAsync(session, access, http.User, userId, UserAction.Delete, cancellation) is null
            ? UserStream.NotFound(userId).ToProblem()
            : await bus.Execute<Guid>(new DeleteUser(userId), (_, _) => Task.FromResult(Results.NoContent()), cancellation);
}

/// <summary>Who may see or change a user: itself (read only), its project's admins, system roles.</summary>
/// <summary>What a caller wants with a user: system admins and the admins of the user's project may do all of it.</summary>
public enum UserAction
{
    /// <summary>Also the user itself and global viewers.</summary>
    Read,

    /// <summary>Create and delete its access keys: also the user itself.</summary>
    ManageKeys,

    /// <summary>Only admins.</summary>
    Delete,
}

public static class UserAccess
{
    public static bool ReadsEverything(ClaimsPrincipal caller) => caller.Holds(ElbRole.SystemAdmin) || caller.Holds(ElbRole.GlobalViewer);

    /// <summary>The user when the caller may act on it, otherwise null, so a user outside the caller's reach is not found.</summary>
    public static async Task<User?> FindAsync(IQuerySession session, AccessRules access, ClaimsPrincipal caller,
        Guid userId, UserAction action, CancellationToken cancellation)
    {
        var user = await session.LoadAsync<User>(userId, cancellation);
        if (user is null) return null;
        var itself = caller.UserIdOf() == userId && action != UserAction.Delete;
        if (itself || caller.Holds(ElbRole.SystemAdmin) || (action == UserAction.Read && caller.Holds(ElbRole.GlobalViewer)))
        {
            return user;
        }
        return user.ProjectId is { } projectId
               && await access.AllowsAsync(caller, Access.ProjectAdmin, projectId)
            ? user
            : null;
    }

    public static IResult Refused(string why) => new RuleViolation("ELB.Forbidden", $"Forbidden: {why}.", 403).ToProblem();
}
