using System.Text.Json.Nodes;
using Elb.Projections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Elb.Gateway.OpenApi;

/// <summary>
/// Completes each operation from the route's metadata: the ELB v3 answer its <see cref="ElbAnswerAttribute"/> declares,
/// every refusal it can answer as an <see cref="ElbProblem"/> with its error codes (<c>x-error-codes</c>), and the
/// policy it declares (<c>x-elb-policy</c>, which <see cref="ElbSecurity"/> turns into a security requirement).
/// </summary>
public sealed class ElbOperations : IOpenApiOperationTransformer
{
    public const string PolicyExtension = "x-elb-policy";
    public const string ErrorCodesExtension = "x-error-codes";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var route = context.Description;
        var metadata = route.ActionDescriptor.EndpointMetadata;
        var policy = metadata.OfType<IAllowAnonymous>().Any()
            ? null
            : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
        operation.Responses ??= new OpenApiResponses();
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();

        // Wolverine describes an IResult answer as "200, IResult", which says nothing of the body, and adds a bare 404 for
        // a null answer, which an IResult never is; the 404s a route does answer come from RouteErrors.
        foreach (var inferred in route.SupportedResponseTypes.Where(r => r.Type == typeof(IResult) || r is { StatusCode: 404, Type: null }))
        {
            operation.Responses.Remove(inferred.StatusCode.ToString());
        }
        if (metadata.OfType<ElbAnswerAttribute>().FirstOrDefault() is { } answer)
        {
            operation.Responses[answer.Status.ToString()] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(answer.Status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await AnswerSchemaAsync(answer, context, cancellationToken) },
                },
            };
        }
        else if (!operation.Responses.Keys.Any(status => status.StartsWith('2')))
        {
            // Still in the document, so a client sees the route exists; its body waits for an ElbAnswer.
            operation.Responses["200"] = new OpenApiResponse { Description = "OK (the body's schema is not documented yet)" };
        }

        if (policy is not null) operation.Extensions[PolicyExtension] = new JsonNodeExtension(JsonValue.Create(policy));
        var problem = await ComponentAsync(typeof(ElbProblem), context, cancellationToken);
        var takesBody = route.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        foreach (var (status, codes) in RouteErrors.Of(route.HttpMethod!, route.RelativePath!, policy, takesBody,
                     metadata.OfType<ElbErrorsAttribute>()))
        {
            operation.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = $"{ReasonPhrases.GetReasonPhrase(status)}: error_code {string.Join(", ", codes)}",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                Extensions = new Dictionary<string, IOpenApiExtension>
                {
                    [ErrorCodesExtension] = new JsonNodeExtension(new JsonArray([.. codes.Select(c => JsonValue.Create(c))])),
                },
            };
        }
    }

    private static async Task<IOpenApiSchema> AnswerSchemaAsync(ElbAnswerAttribute answer, OpenApiOperationTransformerContext context,
        CancellationToken cancellation)
    {
        var resource = answer.AsOf is { } asOf
            ? new OpenApiSchema
            {
                AnyOf = [await ComponentAsync(answer.Resource, context, cancellation), await ComponentAsync(asOf, context, cancellation)],
            }
            : await ComponentAsync(answer.Resource, context, cancellation);
        if (answer.Shape == ElbAnswerShape.Bare) return resource;
        if (answer.Shape == ElbAnswerShape.BareList) return new OpenApiSchema { Type = JsonSchemaType.Array, Items = resource };
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            [answer.Wrapper] = answer.Shape == ElbAnswerShape.One
                ? resource
                : new OpenApiSchema { Type = JsonSchemaType.Array, Items = resource },
        };
        var required = new HashSet<string> { answer.Wrapper };
        if (answer.Shape == ElbAnswerShape.Page)
        {
            properties["page_info"] = await ComponentAsync(typeof(PageInfo), context, cancellation);
            required.Add("page_info");
        }
        else
        {
            properties["warnings"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "What the change did that the caller may not expect (ELB v3 answers these beside the resource).",
            };
        }
        return new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties, Required = required };
    }

    /// <summary>The schema of <paramref name="type"/> as a component of the document, so each resource is described once.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context,
        CancellationToken cancellation)
    {
        // ELB v3 nests some lists (availability zones: a list of zone sets): an array's items are the component.
        if (type.IsArray) return new OpenApiSchema { Type = JsonSchemaType.Array, Items = await ComponentAsync(type.GetElementType()!, context, cancellation) };
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellation));
        }
        return new OpenApiSchemaReference(type.Name, document);
    }
}
