using Elb.Commands.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Elb.Commands.Identity;

/// <summary>
/// What a token is, for the gateway that issues it and the data-plane nodes that accept it on their admin API: an
/// HS256 JWT under <c>Elb:Identity:TokenSigningKey</c> (base64, at least 32 bytes), sent as <c>X-Auth-Token</c> or
/// <c>Authorization: Bearer</c>.
/// </summary>
public static class TokenContract
{
    public const string Issuer = "elb";
    public const string Audience = "elb";
    public const string AuthTokenHeader = "X-Auth-Token";
    public const string SubjectTokenHeader = "X-Subject-Token";
    public const string UserIdClaim = "sub";
    public const string ScopeProjectClaim = "elb:scope_project";

    /// <summary>The user's system roles when the token was issued: what a node, which has no store, authorizes by.</summary>
    public const string SystemRoleClaim = "elb:system_role";

    public static SymmetricSecurityKey SigningKey(IConfiguration configuration)
    {
        var key = new SymmetricSecurityKey(Convert.FromBase64String(configuration.Required("Elb:Identity:TokenSigningKey")));
        return key.KeySize >= 256 ? key
            : throw new InvalidOperationException("Elb:Identity:TokenSigningKey must be at least 32 bytes in base64.");
    }

    public static void Configure(JwtBearerOptions options, SecurityKey key)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            RoleClaimType = SystemRoleClaim,
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (context.Request.Headers[AuthTokenHeader] is [{ Length: > 0 } token]) context.Token = token;
                return Task.CompletedTask;
            },
        };
    }
}
