using Marten;

namespace Elb.Commands.Identity;

/// <summary><c>DELETE .../users/{user_id}/roles/{role}</c> in a project, or system-wide without one.</summary>
public sealed record RevokeRole(string? ProjectId, Guid UserId, string? Role);

public static class RevokeRoleRules
{
    public static IdentityDecision Decide(RevokeRole command, bool held, DateTimeOffset now)
    {
        var projectScope = command.ProjectId is not null;
        if (!ElbRoles.TryParse(command.Role, out var role) || role.IsProjectRole() != projectScope)
        {
            return ElbRoles.Unknown(command.Role, projectScope);
        }
        if (!held)
        {
            return RuleViolation.NotFound("RoleAssignment", $"{command.Role} of user {command.UserId:N}"
                + (command.ProjectId is { } p ? $" in project {p}" : " system-wide"));
        }
        return IdentityDecision.Accept(command.ProjectId is { } id
            ? new RoleRevoked(id, command.UserId, role, now)
            : new SystemRoleRevoked(command.UserId, role, now));
    }
}

public static class RevokeRoleHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(RevokeRole command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var held = ElbRoles.TryParse(command.Role, out var role) && (command.ProjectId is { } scope
            ? await session.LoadAsync<RoleAssignment>(RoleAssignment.IdOf(scope, command.UserId, role), cancellation) is not null
            : (await session.LoadAsync<User>(command.UserId, cancellation))?.SystemRoles.Contains(role) == true);
        var decision = RevokeRoleRules.Decide(command, held, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);

        session.Events.Append(command.ProjectId is { } id ? ProjectStream.Key(id) : command.UserId, decision.Events);
        return new CommandOutcome<Guid>(command.UserId, null);
    }
}
