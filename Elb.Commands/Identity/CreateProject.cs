using Marten;

namespace Elb.Commands.Identity;

/// <summary><c>POST /v3/projects</c>: <paramref name="Id"/> may be chosen (e.g. <c>my-project</c>); otherwise one is made.</summary>
public sealed record CreateProject(string? Id, string? Name, string? Description);

public static class CreateProjectRules
{
    /// <summary>Ids that would read as another route: <c>/v3/projects</c>, <c>/v3/users</c>, <c>/v3/auth/tokens</c>, ...</summary>
    public static readonly IReadOnlySet<string> Reserved =
        new HashSet<string>(["projects", "users", "system", "auth", "dataplane", "internal", "OS-CREDENTIAL"], StringComparer.OrdinalIgnoreCase);

    public static IdentityDecision Decide(Project? existing, CreateProject command, string projectId, DateTimeOffset now)
    {
        if (!ProjectIds.IsValid(projectId) || Reserved.Contains(projectId))
        {
            return RuleViolation.Invalid("ELB.InvalidProjectId",
                $"'project.id' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit, and none of {string.Join(", ", Reserved)}.");
        }
        var name = command.Name ?? projectId;
        if (name.Length > ProjectStream.MaxNameLength || (command.Description?.Length ?? 0) > ProjectStream.MaxNameLength)
        {
            return RuleViolation.Invalid("ELB.FieldTooLong", $"'project.name' and 'project.description' are at most {ProjectStream.MaxNameLength} characters.");
        }
        if (existing is not null) return RuleViolation.Conflict("ELB.ProjectExists", $"Project {projectId} already exists.");
        return IdentityDecision.Accept(new ProjectCreated(projectId, name, command.Description ?? "", now));
    }
}

public static class CreateProjectHandler
{
    public static async Task<CommandOutcome<Project>> Handle(CreateProject command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var projectId = command.Id ?? Guid.NewGuid().ToString("N");
        var existing = ProjectIds.IsValid(projectId)
            ? await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation)
            : null;
        var decision = CreateProjectRules.Decide(existing, command, projectId, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Project>.Refused(violation);

        session.Events.StartStream<Project>(ProjectStream.Key(projectId), decision.Events);
        return new CommandOutcome<Project>(decision.Events.Aggregate((Project?)null, ProjectStream.Evolve), null);
    }
}
