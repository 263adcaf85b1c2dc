using System.Security.Claims;
using Elb.Commands.Identity;
using Marten;

namespace Elb.Gateway.Identity;

/// <summary>How the caller proved who it is; recorded with every change it makes.</summary>
public enum AuthMethod
{
    /// <summary>An AK/SK-signed request (<c>SDK-HMAC-SHA256</c>).</summary>
    AkSk,

    /// <summary>A token from <c>POST /v3/auth/tokens</c>.</summary>
    Token,
}

/// <summary>The claims Elb's principals carry. Roles come from the store (<see cref="IdentityCache"/>), never from the caller.</summary>
public static class ElbClaims
{
    public const string UserId = TokenContract.UserIdClaim;
    public const string Name = ClaimTypes.Name;
    public const string AuthMethod = "elb:auth_method";
    public const string CredentialId = "elb:credential_id";
    public const string ScopeProject = TokenContract.ScopeProjectClaim;
    public const string ProjectRole = "elb:project_role";
    public const string SystemRole = TokenContract.SystemRoleClaim;

    public static Guid? UserIdOf(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(UserId), out var id) ? id : null;

    public static bool Holds(this ClaimsPrincipal principal, ElbRole systemRole) =>
        principal.HasClaim(SystemRole, systemRole.Name());

    public static IEnumerable<ElbRole> RolesIn(this ClaimsPrincipal principal, string projectId) =>
        principal.FindAll(ProjectRole)
            .Select(c => c.Value.Split('/') is [var project, var role] && project == projectId && ElbRoles.TryParse(role, out var r)
                ? r : (ElbRole?)null)
            .OfType<ElbRole>();

    public static IEnumerable<string> Projects(this ClaimsPrincipal principal) =>
        principal.FindAll(ProjectRole).Select(c => c.Value.Split('/')[0]).Distinct();
}

/// <summary>Builds the principal of a verified credential from the user's current roles.</summary>
public sealed class PrincipalFactory(IDocumentStore store, IdentityCache cache)
{
    /// <param name="scopeProject">A token's project: only its roles count (system roles always do).</param>
    /// <returns>Null when the user no longer exists.</returns>
    public async Task<ClaimsPrincipal?> CreateAsync(Guid userId, string scheme, AuthMethod method, string credentialId,
        string? scopeProject, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        return await CreateAsync(session, userId, scheme, method, credentialId, scopeProject, cancellation);
    }

    /// <summary>Within a session the caller already holds (one connection for the key's lookup and the user's).</summary>
    public async Task<ClaimsPrincipal?> CreateAsync(IQuerySession session, Guid userId, string scheme, AuthMethod method,
        string credentialId, string? scopeProject, CancellationToken cancellation)
    {
        if (await IdentityOfAsync(session, userId, cancellation) is not { } identity) return null;
        var (found, assignments) = identity;

        List<Claim> claims =
        [
            new(ElbClaims.UserId, found.Id.ToString("N")),
            new(ElbClaims.Name, found.Name),
            new(ElbClaims.AuthMethod, method == AuthMethod.AkSk ? "aksk" : "token"),
            new(ElbClaims.CredentialId, credentialId),
        ];
        if (scopeProject is not null) claims.Add(new Claim(ElbClaims.ScopeProject, scopeProject));
        claims.AddRange(found.SystemRoles.Select(r => new Claim(ElbClaims.SystemRole, r.Name())));
        claims.AddRange(assignments
            .Where(a => scopeProject is null || a.ProjectId == scopeProject)
            .Select(a => new Claim(ElbClaims.ProjectRole, $"{a.ProjectId}/{a.Role.Name()}")));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ElbClaims.Name, ElbClaims.SystemRole));
    }

    /// <summary>The user and its role assignments, from memory when no change to them was heard since they were read.</summary>
    private async Task<KnownIdentity?> IdentityOfAsync(IQuerySession session, Guid userId, CancellationToken cancellation)
    {
        if (cache.TryGet(userId, out var known)) return known;
        var readAt = cache.Generation;
        var batch = session.CreateBatchQuery();
        var user = batch.Load<User>(userId);
        var assignments = batch.Query<RoleAssignment>().Where(r => r.UserId == userId).ToList();
        await batch.Execute(cancellation);
        if (await user is not { } found) return null;
        known = new KnownIdentity(found, await assignments);
        cache.Keep(userId, known, readAt);
        return known;
    }
}
