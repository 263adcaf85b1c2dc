using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Elb.Gateway.OpenApi;

/// <summary>
/// The two ways to call Elb, as security schemes, and on each operation that declares a policy the requirement to use
/// one of them. Runs after the operations are built, when the schemes it references exist.
/// </summary>
public sealed class ElbSecurity : IOpenApiDocumentTransformer
{
    public const string Signature = "sdk_hmac_sha256";
    public const string Token = "x_auth_token";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Elb";
        document.Info.Description = "An ELB v3-shaped load-balancer API. Every route but the token route and these documents needs " +
            "an AK/SK signature or a token; each operation's x-elb-policy names the roles it needs.";
        document.AddComponent(Signature, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "An access key's signature, as the official SDKs sign: 'SDK-HMAC-SHA256 Access=<AK>, " +
                "SignedHeaders=host;x-sdk-date, Signature=<hex>' with the signing time in X-Sdk-Date (yyyyMMddTHHmmssZ).",
        });
        document.AddComponent(Token, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Auth-Token",
            Description = "A token from POST /v3/auth/tokens (answered in X-Subject-Token).",
        });
        var operations = document.Paths.Values.SelectMany(path => path.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());
        foreach (var operation in operations.Where(o => o.Extensions?.ContainsKey(ElbOperations.PolicyExtension) == true))
        {
            // Either scheme will do: two requirements, not one requiring both.
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Signature, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Token, document)] = [] },
            ];
        }
        return Task.CompletedTask;
    }
}
