using System.Text.RegularExpressions;

namespace Elb.Commands.Identity;

public sealed record AccessKeySummary(string AccessKeyId, string Description, DateTimeOffset CreatedAt);

/// <summary>
/// A person or program that acts in Elb. <see cref="ProjectId"/> is the project that owns the user (its admins manage
/// it); roles in other projects can still be granted to it. Roles held in projects are kept beside it as
/// <see cref="RoleAssignment"/> documents.
/// </summary>
public sealed record User(
    Guid Id,
    string Name,
    string? ProjectId,
    string? PasswordHash,
    IReadOnlyList<ElbRole> SystemRoles,
    IReadOnlyList<AccessKeySummary> AccessKeys,
    DateTimeOffset CreatedAt);

/// <summary>One role of one user in one project.</summary>
public sealed record RoleAssignment(string Id, string ProjectId, Guid UserId, ElbRole Role, DateTimeOffset GrantedAt)
{
    public static string IdOf(string projectId, Guid userId, ElbRole role) => $"{projectId}/{userId:N}/{role.Name()}";
}

/// <summary>What authentication needs of an access key: whose it is, and its secret, encrypted.</summary>
public sealed record AccessKeyRecord(string Id, Guid UserId, string EncryptedSecret, DateTimeOffset CreatedAt);

/// <remarks>The password is stored only as a KDF hash.</remarks>
public sealed record UserCreated(Guid UserId, string Name, string? ProjectId, string? PasswordHash, DateTimeOffset CreatedAt);

public sealed record UserDeleted(Guid UserId, DateTimeOffset DeletedAt);

public sealed record SystemRoleGranted(Guid UserId, ElbRole Role, DateTimeOffset GrantedAt);

public sealed record SystemRoleRevoked(Guid UserId, ElbRole Role, DateTimeOffset RevokedAt);

/// <remarks>The secret is stored only encrypted (<see cref="SecretProtector"/>); it was answered once, at creation.</remarks>
public sealed record AccessKeyCreated(Guid UserId, string AccessKeyId, string EncryptedSecret, string Description,
    DateTimeOffset CreatedAt);

public sealed record AccessKeyDeleted(Guid UserId, string AccessKeyId, DateTimeOffset DeletedAt);

public static partial class UserStream
{
    /// <summary>Names identify users at password login, so they are unique, printable and bounded.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}\z")]
    public static partial Regex ValidName();

    public static User? Evolve(User? state, object @event) => (state, @event) switch
    {
        (_, UserCreated e) => new User(e.UserId, e.Name, e.ProjectId, e.PasswordHash, [], [], e.CreatedAt),
        (null, _) => null,
        (_, UserDeleted) => null,
        ({ } user, SystemRoleGranted e) => user with { SystemRoles = [.. user.SystemRoles.Append(e.Role).Distinct()] },
        ({ } user, SystemRoleRevoked e) => user with { SystemRoles = [.. user.SystemRoles.Where(r => r != e.Role)] },
        ({ } user, AccessKeyCreated e) => user with
        {
            AccessKeys = [.. user.AccessKeys, new AccessKeySummary(e.AccessKeyId, e.Description, e.CreatedAt)],
        },
        ({ } user, AccessKeyDeleted e) => user with { AccessKeys = [.. user.AccessKeys.Where(k => k.AccessKeyId != e.AccessKeyId)] },
        _ => state,
    };

    public static RuleViolation NotFound(Guid userId) => RuleViolation.NotFound("User", userId.ToString("N"));
}
