using Elb.Commands.Hosting;
using Elb.Commands.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Elb.Gateway.Identity;

public static class IdentityHosting
{
    /// <summary>Chooses the scheme by what the request carries: an SDK signature, or a token.</summary>
    public const string Scheme = "elb";

    /// <summary>
    /// Authentication (AK/SK signatures and tokens), Elb's policies, and the identities configured to exist at start.
    /// Both keys come from configuration and must be the same on every gateway.
    /// </summary>
    public static IServiceCollection AddElbIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var tokenKey = TokenContract.SigningKey(configuration);
        var lifetime = configuration.GetValue<TimeSpan?>("Elb:Identity:TokenLifetime") ?? TokenIssuer.DefaultLifetime;

        services.AddSingleton(new SecretProtector(configuration.Required("Elb:Identity:EncryptionKey")));
        services.AddSingleton<ICredentialGenerator, CredentialGenerator>();
        services.AddSingleton<PrincipalFactory>();
        services.AddSingleton(sp => new TokenIssuer(tokenKey, lifetime, sp.GetRequiredService<TimeProvider>()));
        services.AddHttpContextAccessor();
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "AK/SK signature or token", options => options.ForwardDefaultSelector = context =>
                SdkSignatureAuthenticationHandler.Applies(context.Request) ? SdkSignatureAuthenticationHandler.SchemeName : TokenIssuer.Scheme)
            .AddScheme<AuthenticationSchemeOptions, SdkSignatureAuthenticationHandler>(SdkSignatureAuthenticationHandler.SchemeName, null)
            .AddJwtBearer(TokenIssuer.Scheme, options => TokenIssuer.Configure(options, tokenKey));
        services.AddAuthorization(options => options.AddElbPolicies());
        services.AddSingleton<AccessRules>();
        services.AddSingleton<IAuthorizationHandler, ElbAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ElbAuthorizationResultHandler>();
        services.AddHostedService<IdentityBootstrap>();
        return services;
    }
}
