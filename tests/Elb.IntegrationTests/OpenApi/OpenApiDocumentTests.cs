using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json describes every route the gateway maps, with its policy and error codes,
/// and what the routes answer fits the schemas it documents.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class OpenApiDocumentTests(GatewayFixture fixture)
{
    /// <summary>Routes that are not the API: the operators' probe and numbers, the documents describing the API, the console's files.</summary>
    private static readonly string[] NotApi = ["/health", "/metrics", "/openapi/", "/docs", "/console"];

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.Gateway.Server.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private IEnumerable<(string Method, string Pattern, RouteEndpoint Endpoint)> ApiRoutes() =>
        fixture.Gateway.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'), Endpoint: e))
            .Where(r => !NotApi.Any(r.Pattern.StartsWith))
            .SelectMany(r => r.Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (m, r.Pattern, r.Endpoint)));

    private static JsonElement Operation(JsonElement document, string method, string pattern) =>
        document.GetProperty("paths").TryGetProperty(pattern, out var path) && path.TryGetProperty(method.ToLowerInvariant(), out var operation)
            ? operation
            : default;

    [Fact]
    public async Task Every_mapped_route_is_in_the_document_with_its_method()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        var routes = ApiRoutes().ToList();
        Assert.True(routes.Count > 50, $"only {routes.Count} routes found");
        var missing = routes.Where(r => Operation(document, r.Method, r.Pattern).ValueKind != JsonValueKind.Object)
            .Select(r => $"{r.Method} {r.Pattern}").ToList();
        Assert.True(missing.Count == 0, "Not in the OpenAPI document: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_operation_documents_what_it_answers_on_success()
    {
        var document = await DocumentAsync();
        var undocumented = ApiRoutes()
            .SelectMany(r => Operation(document, r.Method, r.Pattern).GetProperty("responses").EnumerateObject()
                .Where(answer => answer.Name.StartsWith('2') && answer.Name != "204" && !answer.Value.TryGetProperty("content", out _))
                .Select(answer => $"{r.Method} {r.Pattern} {answer.Name}"))
            .ToList();
        Assert.True(undocumented.Count == 0, "Answers without a schema: " + string.Join(", ", undocumented));
    }

    [Fact]
    public async Task Every_operation_names_its_policy_its_security_and_its_error_codes()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("Authorization", schemes.GetProperty("sdk_hmac_sha256").GetProperty("name").GetString());
        Assert.Equal("X-Auth-Token", schemes.GetProperty("x_auth_token").GetProperty("name").GetString());
        var failures = new List<string>();
        foreach (var (method, pattern, endpoint) in ApiRoutes())
        {
            var operation = Operation(document, method, pattern);
            var policy = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
                ? endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null)
                : null;
            var documentedPolicy = operation.TryGetProperty("x-elb-policy", out var p) ? p.GetString() : null;
            var security = operation.TryGetProperty("security", out var s)
                ? s.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(o => o.Name)).Order().ToList()
                : [];
            var expectedSecurity = policy is null ? new List<string>() : ["sdk_hmac_sha256", "x_auth_token"];
            if (documentedPolicy != policy || !security.SequenceEqual(expectedSecurity))
            {
                failures.Add($"{method} {pattern}: policy {documentedPolicy}, security [{string.Join(", ", security)}]; declares {policy}");
            }
            var errorCodes = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4'))
                .SelectMany(r => r.Value.TryGetProperty("x-error-codes", out var codes) ? codes.EnumerateArray().Select(c => c.GetString()) : [])
                .ToList();
            if (errorCodes.Count == 0) failures.Add($"{method} {pattern}: no 4xx error codes documented");
            if (policy is not null && !errorCodes.Contains("ELB.AuthenticationRequired")) failures.Add($"{method} {pattern}: no 401 documented");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Answers_fit_the_schemas_the_document_gives_them()
    {
        var document = await DocumentAsync();
        var check = new SchemaCheck(document);
        var api = new ElbApi(fixture.Gateway);
        await api.RegisterSubnetAsync();
        var failures = new List<string>();
        async Task<JsonElement> Answer(HttpMethod method, string pattern, string path, string? json, int expectedStatus, ElbApi? caller = null)
        {
            var (status, body) = await (caller ?? api).TrySendAsync(method, path, json);
            Assert.True(status == expectedStatus, $"{method} {path}: {status} {body}");
            var response = Operation(document, method.Method, pattern).GetProperty("responses");
            if (!response.TryGetProperty(status.ToString(), out var documented))
            {
                failures.Add($"{method} {pattern}: answered {status}, which is not documented");
                return body;
            }
            var schema = documented.GetProperty("content").EnumerateObject().Single().Value.GetProperty("schema");
            failures.AddRange(check.Problems(body, schema).Select(problem => $"{method} {pattern} {status}: {problem}"));
            return body;
        }

        var created = await Answer(HttpMethod.Post, "/v3/{projectId}/elb/loadbalancers", "elb/loadbalancers",
            """{"loadbalancer": {"name": "web", "vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-1", "availability_zone_list": ["az-1"], "ip_target_enable": true}}""",
            201);
        var loadBalancerId = ElbApi.Id(created, "loadbalancer");
        var poolId = await api.CreatePoolAsync(loadBalancerId, extra: """, "slow_start": {"enable": true, "duration": 30}""");
        await Answer(HttpMethod.Post, "/v3/{projectId}/elb/pools/{poolId}/members", $"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.0.7", "protocol_port": 80, "weight": 1}}""", 201);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/pools", "elb/pools", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/loadbalancers/{loadBalancerId}", $"elb/loadbalancers/{loadBalancerId}", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/statuses",
            $"elb/loadbalancers/{loadBalancerId}/statuses", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/loadbalancers/{loadBalancerId}", $"elb/loadbalancers/{Guid.NewGuid()}", null, 404);
        await Answer(HttpMethod.Post, "/v3/{projectId}/elb/pools/{poolId}/members", $"elb/pools/{poolId}/members", """{"member": {}}""", 400);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/availability-zones", "elb/availability-zones", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/history",
            $"elb/loadbalancers/{loadBalancerId}/history?limit=1", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/history", "elb/history?limit=2", null, 200);
        await Answer(HttpMethod.Get, "/v3/{projectId}/elb/events", "elb/events", null, 200);
        var systemAdmin = ElbApi.SystemAdmin(fixture.Gateway);
        await Answer(HttpMethod.Get, "/v3/dataplane/nodes", "/v3/dataplane/nodes", null, 200, systemAdmin);
        await Answer(HttpMethod.Get, "/v3/internal/routing-snapshot", "/v3/internal/routing-snapshot", null, 200, systemAdmin);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_reference_page_at_docs_is_html_that_loads_the_document()
    {
        using var client = fixture.Gateway.Server.CreateClient();
        using var bare = await client.GetAsync("/docs");
        // The page's scripts are relative to it, so /docs sends the browser to /docs/.
        Assert.Equal("docs/", bare.Headers.Location?.OriginalString);
        using var response = await client.GetAsync("/docs/");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        // The page's configuration names the document it loads.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
    }
}
