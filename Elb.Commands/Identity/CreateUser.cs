using Marten;

namespace Elb.Commands.Identity;

/// <summary><c>POST /v3/users</c>: a user owned by <paramref name="ProjectId"/> (required unless a system admin asks).</summary>
public sealed record CreateUser(string? Name, string? Password, string? ProjectId, string? Description);

public static class CreateUserRules
{
    public static IdentityDecision Decide(CreateUser command, bool nameTaken, Project? project, Guid userId,
        Func<string, string> hashPassword, DateTimeOffset now)
    {
        if (command.Name is null) return RuleViolation.MissingField("user.name");
        if (!UserStream.ValidName().IsMatch(command.Name))
        {
            return RuleViolation.Invalid("ELB.InvalidUserName",
                "'user.name' must be 1-64 letters, digits, '.', '@', '-' or '_', starting with a letter or digit.");
        }
        if (command.Password is { Length: < PasswordHash.MinLength or > PasswordHash.MaxLength })
        {
            return RuleViolation.Invalid("ELB.InvalidPassword",
                $"'user.password' must be {PasswordHash.MinLength} to {PasswordHash.MaxLength} characters.");
        }
        if (command.ProjectId is { } projectId && project is null) return ProjectStream.NotFound(projectId);
        if (nameTaken) return RuleViolation.Conflict("ELB.UserNameTaken", $"A user named '{command.Name}' already exists.");
        return IdentityDecision.Accept(new UserCreated(userId, command.Name, command.ProjectId,
            command.Password is { } password ? hashPassword(password) : null, now));
    }
}

public static class CreateUserHandler
{
    public static async Task<CommandOutcome<User>> Handle(CreateUser command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var nameTaken = command.Name is { } name && await session.Query<User>().AnyAsync(u => u.Name == name, cancellation);
        var project = command.ProjectId is { } projectId && ProjectIds.IsValid(projectId)
            ? await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation)
            : null;
        var userId = Guid.CreateVersion7();
        var decision = CreateUserRules.Decide(command, nameTaken, project, userId, PasswordHash.Create, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<User>.Refused(violation);

        session.Events.StartStream<User>(userId, decision.Events);
        return new CommandOutcome<User>(decision.Events.Aggregate((User?)null, UserStream.Evolve), null);
    }
}
