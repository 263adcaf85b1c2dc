using System.Security.Cryptography;
using System.Text;

using Elb.Commands.Quotas;

namespace Elb.Commands.Identity;

/// <summary>A tenant: every load balancer, user role and access to its events belongs to exactly one project.</summary>
public sealed record Project(Guid Key, string Id, string Name, string Description, DateTimeOffset CreatedAt, Quota? Quota = null);

public sealed record ProjectCreated(string ProjectId, string Name, string Description, DateTimeOffset CreatedAt);

public sealed record ProjectDeleted(string ProjectId, DateTimeOffset DeletedAt);

/// <summary>Granted on the project's stream, so the project's history says who may act in it and since when.</summary>
public sealed record RoleGranted(string ProjectId, Guid UserId, ElbRole Role, DateTimeOffset GrantedAt);

public sealed record RoleRevoked(string ProjectId, Guid UserId, ElbRole Role, DateTimeOffset RevokedAt);

public static class ProjectStream
{
    public const int MaxNameLength = 255;

    /// <summary>Streams are keyed by Guid; a project's is derived from its id so it is found without a lookup.</summary>
    public static Guid Key(string projectId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"project\n{projectId}")).AsSpan(0, 16));

    public static Project? Evolve(Project? state, object @event) => @event switch
    {
        ProjectCreated e => new Project(Key(e.ProjectId), e.ProjectId, e.Name, e.Description, e.CreatedAt),
        ProjectDeleted => null,
        QuotaChanged e when state is not null => state with { Quota = e.Quota },
        _ => state,
    };

    public static RuleViolation NotFound(string projectId) => RuleViolation.NotFound("Project", projectId);
}
