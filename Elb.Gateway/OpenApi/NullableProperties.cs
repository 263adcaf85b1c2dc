using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Elb.Gateway.OpenApi;

/// <summary>
/// A property declared nullable may answer null: the schemas built for <see cref="ElbAnswerAttribute"/> keep an object
/// property's schema inline, where ASP.NET Core marks only strings and numbers nullable.
/// </summary>
public sealed class NullableProperties : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { IsGetNullable: true } && schema.Type is { } type
            && (type.HasFlag(JsonSchemaType.Object) || type.HasFlag(JsonSchemaType.Array)))
        {
            schema.Type = type | JsonSchemaType.Null;
        }
        return Task.CompletedTask;
    }
}
