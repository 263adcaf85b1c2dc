using System.Security.Claims;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Elb.Gateway.Identity;

/// <summary>
/// The policy every route declares. Project policies take the project from the route's <c>{projectId}</c> (or from
/// the resource an endpoint authorizes against).
/// </summary>
public static class ElbPolicy
{
    /// <summary>Read a project's resources, history and event feed: elb_viewer and up, or elb_global_viewer.</summary>
    public const string ProjectRead = "project:read";

    /// <summary>Change a project's resources: elb_member, elb_admin, or elb_system_admin.</summary>
    public const string ProjectWrite = "project:write";

    /// <summary>A project's users, roles, keys and subscribers: elb_admin, or elb_system_admin.</summary>
    public const string ProjectAdmin = "project:admin";

    /// <summary>Read across projects: elb_global_viewer or elb_system_admin.</summary>
    public const string SystemRead = "system:read";

    /// <summary>Projects, system roles, node credentials: elb_system_admin.</summary>
    public const string SystemAdmin = "system:admin";

    /// <summary>What a data-plane node does: elb_dataplane, or elb_system_admin.</summary>
    public const string DataPlane = "dataplane";

    /// <summary>What operators and nodes read of the data plane: elb_dataplane, elb_global_viewer or elb_system_admin.</summary>
    public const string DataPlaneRead = "dataplane:read";

    /// <summary>Any verified caller; the endpoint decides the rest (its own credentials, its own token).</summary>
    public const string Authenticated = "authenticated";

    public static readonly IReadOnlyDictionary<string, Access> All = new Dictionary<string, Access>
    {
        [ProjectRead] = Access.ProjectRead,
        [ProjectWrite] = Access.ProjectWrite,
        [ProjectAdmin] = Access.ProjectAdmin,
        [SystemRead] = Access.SystemRead,
        [SystemAdmin] = Access.SystemAdmin,
        [DataPlane] = Access.DataPlane,
        [DataPlaneRead] = Access.DataPlaneRead,
        [Authenticated] = Access.Authenticated,
    };

    public static void AddElbPolicies(this AuthorizationOptions options)
    {
        foreach (var (name, access) in All)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(new ElbAccessRequirement(access)));
        }
        // A route that forgot its policy still needs a verified caller (and a test fails on it).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}

public enum Access { ProjectRead, ProjectWrite, ProjectAdmin, SystemRead, SystemAdmin, DataPlane, DataPlaneRead, Authenticated }

public sealed record ElbAccessRequirement(Access Access) : IAuthorizationRequirement;

/// <summary>Why a call was refused, which decides the answer: a project's resources stay invisible to outsiders.</summary>
public enum Denial
{
    /// <summary>400: the project id could never name a project (it goes into routing keys and broker user names).</summary>
    InvalidProjectId,

    /// <summary>404: the project named does not exist.</summary>
    ProjectNotFound,

    /// <summary>404 for a resource, 403 for a collection: the caller has no role in the project.</summary>
    NotInProject,

    /// <summary>403: a role in the project, or system-wide, but not enough for this call.</summary>
    InsufficientRole,
}

public sealed class ElbDenial(IAuthorizationHandler handler, Denial denial, string message)
    : AuthorizationFailureReason(handler, message)
{
    public Denial Denial { get; } = denial;
}

public sealed record Refusal(Denial Denial, string Message);

/// <summary>Who may do what where: the one place the role model is decided, for policies and for endpoints alike.</summary>
public sealed class AccessRules(IDocumentStore store)
{
    /// <summary>Null when <paramref name="user"/> may; otherwise why not.</summary>
    public async Task<Refusal?> CheckAsync(ClaimsPrincipal user, Access access, string? projectId)
    {
        var isSystemAdmin = user.Holds(ElbRole.SystemAdmin);
        var isGlobalViewer = user.Holds(ElbRole.GlobalViewer);
        switch (access)
        {
            case Access.Authenticated:
                return null;
            case Access.SystemAdmin:
                return Require(isSystemAdmin, "this call needs elb_system_admin");
            case Access.SystemRead:
                return Require(isSystemAdmin || isGlobalViewer, "this call needs elb_global_viewer or elb_system_admin");
            case Access.DataPlane:
                return Require(isSystemAdmin || user.Holds(ElbRole.DataPlane), "this call needs elb_dataplane");
            case Access.DataPlaneRead:
                return Require(isSystemAdmin || isGlobalViewer || user.Holds(ElbRole.DataPlane),
                    "this call needs elb_dataplane or a system role");
        }

        if (projectId is null) return new Refusal(Denial.ProjectNotFound, "the route names no project");
        if (!ProjectIds.IsValid(projectId)) return new Refusal(Denial.InvalidProjectId, ProjectIds.Invalid(projectId).Message);
        var roles = user.RolesIn(projectId).ToList();
        var systemAllows = isSystemAdmin || (isGlobalViewer && access == Access.ProjectRead);
        if (roles.Count == 0 || systemAllows)
        {
            // A role assignment exists only while its project does; without one, ask the store.
            if (!await ProjectExistsAsync(projectId))
            {
                return new Refusal(Denial.ProjectNotFound, $"project {projectId} does not exist");
            }
            if (systemAllows) return null;
            // A global viewer sees the project, so it is told why it may not write rather than that nothing is there.
            return isGlobalViewer
                ? new Refusal(Denial.InsufficientRole, $"elb_global_viewer only reads project {projectId}")
                : new Refusal(Denial.NotInProject, $"the caller has no role in project {projectId}");
        }
        return access switch
        {
            Access.ProjectRead => null,
            Access.ProjectWrite => Require(roles.Any(r => r is ElbRole.Member or ElbRole.Admin),
                $"changing project {projectId} needs elb_member or elb_admin"),
            _ => Require(roles.Contains(ElbRole.Admin), $"this call needs elb_admin in project {projectId}"),
        };
    }

    public async Task<bool> AllowsAsync(ClaimsPrincipal user, Access access, string? projectId) =>
        await CheckAsync(user, access, projectId) is null;

    private static Refusal? Require(bool allowed, string message) => allowed ? null : new Refusal(Denial.InsufficientRole, message);

    private async Task<bool> ProjectExistsAsync(string projectId)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Project>(ProjectStream.Key(projectId)) is not null;
    }
}

public sealed class ElbAccessHandler(AccessRules rules) : AuthorizationHandler<ElbAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ElbAccessRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true) return;
        var projectId = (context.Resource as HttpContext)?.GetRouteValue("projectId") as string;
        if (await rules.CheckAsync(context.User, requirement.Access, projectId) is { } refusal)
        {
            context.Fail(new ElbDenial(this, refusal.Denial, refusal.Message));
        }
        else
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>Answers every refusal as ProblemDetails with a stable <c>error_code</c>.</summary>
public sealed class ElbAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded) return _default.HandleAsync(next, context, policy, result);
        if (result.Challenged)
        {
            var (code, detail) = AuthenticationFailure.Of(context);
            return ElbResults.WriteProblemAsync(context, StatusCodes.Status401Unauthorized, code, detail);
        }
        var denial = result.AuthorizationFailure?.FailureReasons.OfType<ElbDenial>().FirstOrDefault();
        var hasResourceId = context.Request.RouteValues.Keys.Any(k => k != "projectId");
        return denial?.Denial switch
        {
            Denial.InvalidProjectId => ElbResults.WriteProblemAsync(context, 400, "ELB.InvalidProjectId", denial.Message),
            Denial.ProjectNotFound => ElbResults.WriteProblemAsync(context, 404, "ELB.ProjectNotFound", $"{Capitalized(denial.Message)}."),
            Denial.NotInProject when hasResourceId => ElbResults.WriteProblemAsync(context, 404, "ELB.NotFound",
                $"There is no resource at {context.Request.Method} {context.Request.Path}."),
            _ => ElbResults.WriteProblemAsync(context, 403, "ELB.Forbidden",
                $"Forbidden: {denial?.Message ?? "the caller may not make this call"}."),
        };
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>Why authentication failed, kept for the 401 answer (handlers record it; the answer is written once).</summary>
public static class AuthenticationFailure
{
    private const string Key = "elb:authentication_failure";

    public static void Record(HttpContext context, string errorCode, string detail) => context.Items[Key] = (errorCode, detail);

    public static (string Code, string Detail) Of(HttpContext context) =>
        context.Items[Key] as (string, string)? ?? ("ELB.AuthenticationRequired",
            "Sign the request with an access key (SDK-HMAC-SHA256) or send a token in X-Auth-Token.");
}
