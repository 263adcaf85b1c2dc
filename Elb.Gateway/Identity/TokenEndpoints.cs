using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

public sealed record TokenRequest(TokenAuth? Auth);

public sealed record TokenAuth(TokenIdentity? Identity, TokenScope? Scope);

public sealed record TokenIdentity(IReadOnlyList<string>? Methods, PasswordIdentity? Password);

public sealed record PasswordIdentity(PasswordUser? User);

public sealed record PasswordUser(string? Id, string? Name, string? Password);

public sealed record TokenScope(NamedReference? Project);

public sealed record NamedReference(string? Id, string? Name);

/// <summary>Keystone's token body; the token itself is in the X-Subject-Token header.</summary>
public sealed record TokenResource(IReadOnlyList<string> Methods, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, NamedReference User,
    NamedReference? Project, IReadOnlyList<RoleName> Roles);

/// <summary>
/// Keystone v3's <c>POST /v3/auth/tokens</c>: the password method, or, as Huawei IAM allows, no identity in the
/// body and the request itself AK/SK-signed. The token comes back in <c>X-Subject-Token</c>.
/// </summary>
public static class TokenEndpoints
{
    /// <summary>Keystone's answer, the same whether the project is missing or out of reach, so it reveals neither.</summary>
    private static readonly RuleViolation ScopeNotAllowed =
        new("ELB.ScopeNotAllowed", "The scope's project does not exist or the user holds no role in it.", 401);

    [WolverinePost("/v3/auth/tokens")]
    [ElbAnswer("token", typeof(TokenResource), Status = StatusCodes.Status201Created)]
    [ElbErrors(StatusCodes.Status401Unauthorized, "ELB.AuthenticationFailed", "ELB.ScopeNotAllowed")]
    [AllowAnonymous]
    public static async Task<IResult> Issue(TokenRequest request, HttpContext http, IQuerySession session, TokenIssuer issuer,
        PrincipalFactory principals, CancellationToken cancellation)
    {
        var (user, method) = await IdentifyAsync(request.Auth?.Identity, http, session, cancellation);
        if (user is null)
        {
            return new RuleViolation("ELB.AuthenticationFailed",
                "The user name or password is wrong, or the request is neither signed nor carries the password method.", 401).ToProblem();
        }
        Project? project = null;
        if (request.Auth?.Scope?.Project is { } scope)
        {
            project = await FindProjectAsync(session, scope, cancellation);
            if (project is null)
            {
                return ScopeNotAllowed.ToProblem();
            }
        }
        var issued = issuer.Issue(user, project?.Id, method);
        var principal = (await principals.CreateAsync(user.Id, TokenIssuer.Scheme, AuthMethod.Token, issued.TokenId, project?.Id, cancellation))!;
        var roles = project is null ? [] : principal.RolesIn(project.Id).ToList();
        if (project is not null && roles.Count == 0 && !principal.Holds(ElbRole.SystemAdmin) && !principal.Holds(ElbRole.GlobalViewer))
        {
            return ScopeNotAllowed.ToProblem();
        }
        http.Response.Headers[TokenContract.SubjectTokenHeader] = issued.Token;
        return ElbResults.Created("token", new TokenResource([method], issued.IssuedAt, issued.ExpiresAt,
            new NamedReference(user.Id.ToString("N"), user.Name),
            project is null ? null : new NamedReference(project.Id, project.Name),
            [.. roles.Concat(user.SystemRoles).Select(r => new RoleName(r))]));
    }

    private static async Task<(User? User, string Method)> IdentifyAsync(TokenIdentity? identity, HttpContext http,
        IQuerySession session, CancellationToken cancellation)
    {
        if (identity?.Methods?.Contains("password") == true && identity.Password?.User is { Password: { } password } named)
        {
            var user = Guid.TryParse(named.Id, out var id) ? await session.LoadAsync<User>(id, cancellation)
                : named.Name is { Length: <= 64 } name ? await session.Query<User>().FirstOrDefaultAsync(u => u.Name == name, cancellation)
                : null;
            return (user?.PasswordHash is { } hash && password.Length <= PasswordHash.MaxLength && PasswordHash.Verify(password, hash)
                ? user : null, "password");
        }
        // No identity in the body: the AK/SK signature of this very request is the identity.
        return http.User.UserIdOf() is { } signer && http.User.FindFirst(ElbClaims.AuthMethod)?.Value == "aksk"
            ? (await session.LoadAsync<User>(signer, cancellation), "hw_ak_sk")
            : (null, "password");
    }

    private static async Task<Project?> FindProjectAsync(IQuerySession session, NamedReference scope, CancellationToken cancellation)
    {
        var id = scope.Id ?? scope.Name;
        if (id is null || !ProjectIds.IsValid(id))
        {
            return scope.Name is { Length: <= ProjectStream.MaxNameLength } name
                ? await session.Query<Project>().FirstOrDefaultAsync(p => p.Name == name, cancellation)
                : null;
        }
        return await session.LoadAsync<Project>(ProjectStream.Key(id), cancellation)
            ?? (scope.Name is { } byName ? await session.Query<Project>().FirstOrDefaultAsync(p => p.Name == byName, cancellation) : null);
    }
}
