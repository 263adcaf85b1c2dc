using System.Security.Claims;
using Elb.Commands.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Elb.Gateway.Identity;

/// <summary>
/// Issues tokens (<see cref="TokenContract"/>) and verifies them on the gateway. A token names the user and its
/// project scope; the gateway takes roles from the store (<see cref="IdentityCache"/>), so a revoked role or a deleted
/// user stops a token at once there (nodes, which have no store, go by the system roles the token names until it expires).
/// </summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeSpan lifetime, TimeProvider clock)
{
    public const string Scheme = "token";

    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly JsonWebTokenHandler _handler = new();

    public SymmetricSecurityKey Key => key;

    public sealed record Issued(string Token, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

    public Issued Issue(User user, string? scopeProject, string method)
    {
        var now = clock.GetUtcNow();
        var tokenId = Guid.NewGuid().ToString("N");
        var claims = new Dictionary<string, object>
        {
            [ElbClaims.UserId] = user.Id.ToString("N"),
            [JwtRegisteredClaimNames.Jti] = tokenId,
            ["methods"] = method,
        };
        if (scopeProject is not null) claims[ElbClaims.ScopeProject] = scopeProject;
        if (user.SystemRoles.Count > 0) claims[ElbClaims.SystemRole] = user.SystemRoles.Select(r => r.Name()).ToArray();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenContract.Issuer,
            Audience = TokenContract.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return new Issued(token, tokenId, now, now + lifetime);
    }

    public static void Configure(JwtBearerOptions options, SymmetricSecurityKey key)
    {
        TokenContract.Configure(options, key);
        options.Events.OnTokenValidated = async context =>
        {
            var principal = context.Principal!;
            var principalFactory = context.HttpContext.RequestServices.GetRequiredService<PrincipalFactory>();
            var verified = principal.UserIdOf() is { } userId
                ? await principalFactory.CreateAsync(userId, Scheme, AuthMethod.Token,
                    principal.FindFirstValue(JwtRegisteredClaimNames.Jti) ?? "", principal.FindFirstValue(ElbClaims.ScopeProject),
                    context.HttpContext.RequestAborted)
                : null;
            if (verified is null)
            {
                AuthenticationFailure.Record(context.HttpContext, "ELB.TokenInvalid", "The token's user no longer exists.");
                context.Fail("the token's user no longer exists");
                return;
            }
            context.Principal = verified;
        };
        options.Events.OnAuthenticationFailed = context =>
        {
            var expired = context.Exception is SecurityTokenExpiredException;
            AuthenticationFailure.Record(context.HttpContext, expired ? "ELB.TokenExpired" : "ELB.TokenInvalid",
                expired ? "The token has expired; get a new one from POST /v3/auth/tokens." : "The token is not one Elb issued, or was altered.");
            return Task.CompletedTask;
        };
    }
}
