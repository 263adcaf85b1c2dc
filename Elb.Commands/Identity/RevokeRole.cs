using Marten;

namespace Elb.Commands.Identity;

/// <summary><c>DELETE .../users/{user_id}/roles/{role}</c> in a project, or system-wide without one.</summary>
public sealed record RevokeRole(string? ProjectId, Guid UserId, string? Role);

public static class RevokeRoleRules
{
    public static IdentityDecision Decide(RevokeRole command, bool held, DateTimeOffset now)
    {
        if (!ElbRoles.TryParseFor(command.Role, command.ProjectId, out var role)) return ElbRoles.Unknown(command.Role, command.ProjectId is not null);
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
        var held = ElbRoles.TryParseFor(command.Role, command.ProjectId, out var role)
            && await session.IsHeldAsync(command.ProjectId, command.UserId, role, cancellation);
        var decision = RevokeRoleRules.Decide(command, held, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);

        session.Events.Append(command.ProjectId is { } id ? ProjectStream.Key(id) : command.UserId, decision.Events);
        return new CommandOutcome<Guid>(command.UserId, null);
    }
}
