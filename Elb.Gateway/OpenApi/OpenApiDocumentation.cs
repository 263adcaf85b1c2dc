using Scalar.AspNetCore;

namespace Elb.Gateway.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and its reference page at <c>/docs</c>.</summary>
public static class OpenApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddElbOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer<ElbOperations>();
            options.AddSchemaTransformer<NullableProperties>();
            options.AddDocumentTransformer<ElbSecurity>();
        });

    /// <summary>Both are open to anyone: they describe the API and hold no project's data.</summary>
    public static void MapElbOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().AllowAnonymous();
        endpoints.MapScalarApiReference("/docs").AllowAnonymous();
    }
}
