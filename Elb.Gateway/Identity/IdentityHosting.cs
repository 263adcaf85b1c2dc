using Elb.Commands.Hosting;
using Elb.Commands.Identity;
using Microsoft.AspNetCore.Authentication;
using Marten;
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
    /// <param name="postgres">Elb's store: identity changes are heard there (<see cref="IdentityChangeListener"/>).</param>
    /// <param name="schema">Elb's schema in it, whose changes are the ones heard.</param>
    public static IServiceCollection AddElbIdentity(this IServiceCollection services, IConfiguration configuration, string postgres,
        string schema)
    {
        var tokenKey = TokenContract.SigningKey(configuration);
        var lifetime = configuration.GetValue<TimeSpan?>("Elb:Identity:TokenLifetime") ?? TokenIssuer.DefaultLifetime;

        services.AddSingleton(new SecretProtector(configuration.Required("Elb:Identity:EncryptionKey")));
        services.AddSingleton<ICredentialGenerator, CredentialGenerator>();
        services.AddSingleton<PrincipalFactory>();
        services.AddSingleton(configuration.GetSection("Elb:Identity").Get<IdentityCacheOptions>() ?? new IdentityCacheOptions());
        services.AddSingleton<IdentityCache>();
        services.AddSingleton(sp => new IdentityChanges(sp.GetRequiredService<IdentityCache>(),
            IdentityChanges.ChannelOf(schema)));
        services.AddSingleton<IConfigureMarten, IdentityChangesInStore>();
        services.AddHostedService(sp => new IdentityChangeListener(sp.GetRequiredService<IdentityCache>(),
            sp.GetRequiredService<IdentityChanges>(), postgres, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IdentityChangeListener>>()));
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

/// <summary>Every session of the store tells <see cref="IdentityChanges"/> what it changed.</summary>
internal sealed class IdentityChangesInStore(IdentityChanges changes) : IConfigureMarten
{
    public void Configure(IServiceProvider services, StoreOptions options) => options.Listeners.Add(changes);
}
