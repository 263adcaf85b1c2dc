using Elb.Commands;
using Elb.Commands.Identity;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Elb.DataPlane.Routing;

/// <summary>
/// The node's admin API accepts the gateway's tokens (it shares their signing key, not the gateway's store), and
/// answers a refusal as the gateway does: ProblemDetails with an <c>error_code</c>.
/// </summary>
public static class AdminAuthentication
{
    public static IServiceCollection AddNodeAdminAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var key = TokenContract.SigningKey(configuration);
        services.AddAuthentication().AddJwtBearer(options =>
        {
            TokenContract.Configure(options, key);
            options.Events.OnChallenge = async context =>
            {
                context.HandleResponse();
                var (code, detail) = context.AuthenticateFailure switch
                {
                    SecurityTokenExpiredException => ("ELB.TokenExpired", "The token has expired; get a new one from the gateway's POST /v3/auth/tokens."),
                    not null => ("ELB.TokenInvalid", "The token is not one Elb issued, or was altered."),
                    null => ("ELB.AuthenticationRequired", "Send a token of elb_system_admin or elb_global_viewer in X-Auth-Token."),
                };
                await Problem(context.HttpContext, StatusCodes.Status401Unauthorized, code, detail);
            };
            options.Events.OnForbidden = context => Problem(context.HttpContext, StatusCodes.Status403Forbidden, "ELB.Forbidden",
                "The node's admin API needs a token of elb_system_admin or elb_global_viewer.");
        });
        services.AddAuthorization(options => options.AddPolicy(RoutingEndpoints.AdminPolicy,
            policy => policy.RequireRole(ElbRole.SystemAdmin.Name(), ElbRole.GlobalViewer.Name())));
        return services;
    }

    private static Task Problem(HttpContext http, int status, string code, string detail) =>
        new RuleViolation(code, detail, status).ToProblem().ExecuteAsync(http);
}
