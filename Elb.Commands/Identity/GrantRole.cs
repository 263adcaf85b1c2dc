using Marten;

namespace Elb.Commands.Identity;

/// <summary>
/// <c>PUT /v3/projects/{project_id}/users/{user_id}/roles/{role}</c>, or without a project
/// <c>PUT /v3/system/users/{user_id}/roles/{role}</c>. Granting a role the user holds changes nothing.
/// </summary>
public sealed record GrantRole(string? ProjectId, Guid UserId, string? Role);

public static class GrantRoleRules
{
    public static IdentityDecision Decide(GrantRole command, Project? project, User? user, bool alreadyHeld, DateTimeOffset now)
    {
        if (!ElbRoles.TryParseFor(command.Role, command.ProjectId, out var role)) return ElbRoles.Unknown(command.Role, command.ProjectId is not null);
        if (command.ProjectId is { } projectId && project is null) return ProjectStream.NotFound(projectId);
        if (user is null) return UserStream.NotFound(command.UserId);
        if (alreadyHeld) return IdentityDecision.Accept();
        return IdentityDecision.Accept(command.ProjectId is { } id
            ? new RoleGranted(id, user.Id, role, now)
            : new SystemRoleGranted(user.Id, role, now));
    }
}

public static class GrantRoleHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(GrantRole command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var user = await session.LoadAsync<User>(command.UserId, cancellation);
        var project = command.ProjectId is { } projectId
            ? await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation)
            : null;
        var alreadyHeld = ElbRoles.TryParseFor(command.Role, command.ProjectId, out var role)
            && await session.IsHeldAsync(command.ProjectId, command.UserId, role, cancellation);
        var decision = GrantRoleRules.Decide(command, project, user, alreadyHeld, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);

        if (decision.Events.Count > 0)
        {
            session.Events.Append(command.ProjectId is { } id ? ProjectStream.Key(id) : command.UserId, decision.Events);
        }
        return new CommandOutcome<Guid>(command.UserId, null);
    }
}
