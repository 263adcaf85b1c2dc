using System.Text;
using Elb.Commands.Identity;
using Elb.Gateway.Identity;
using Elb.Signing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.Identity;

/// <summary>
/// Who can call what: every mapped route of the gateway, called by every kind of caller, answers as its declared
/// policy says, and no call of the matrix changes the event store. Bodies are empty objects and ids unknown, so a
/// caller that is let in is refused by the endpoint's own rules: the matrix is about who gets in, never what is done.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AccessMatrixTests(GatewayFixture fixture)
{
    private enum Caller { Anonymous, BadSignature, ExpiredSignature, OtherProject, Viewer, Member, ProjectAdmin, Node, SystemAdmin }

    private sealed record Route(string Method, string Pattern, string? Policy, bool Anonymous);

    private IReadOnlyList<Route> Routes() =>
        fixture.Gateway.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new Route(method,
                "/" + e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .ToList();

    [Fact]
    public void Every_route_declares_who_may_call_it()
    {
        var routes = Routes();
        Assert.True(routes.Count > 50, $"only {routes.Count} routes found");
        var undeclared = routes.Where(r => !r.Anonymous && (r.Policy is null || !ElbPolicy.All.ContainsKey(r.Policy))).ToList();
        Assert.True(undeclared.Count == 0, "Routes without a policy: " + string.Join(", ", undeclared.Select(r => $"{r.Method} {r.Pattern}")));
        var anonymous = routes.Where(r => r.Anonymous).Select(r => $"{r.Method} {r.Pattern}").ToList();
        // The reference page at /docs comes with its scripts and icon, all under /docs/.
        Assert.Contains("GET /docs/{documentName?}", anonymous);
        // The console's pages and scripts hold no data: what they show, the API answers to the signed-in user's token.
        Assert.Equal(["GET /console", "GET /console/{**file}", "GET /health", "GET /openapi/{documentName}.json", "POST /v3/auth/tokens"],
            anonymous.Where(r => !r.StartsWith("GET /docs/")).Order());
    }

    [Fact]
    public async Task Every_route_times_every_caller_answers_as_its_policy_says_and_changes_nothing()
    {
        var project = new ElbApi(fixture.Gateway);
        // A load balancer keeps the project from being deleted by the system admin's DELETE /v3/projects/{project_id}.
        await project.CreateLoadBalancerWithSubnetAsync();
        var callers = new Dictionary<Caller, Func<HttpRequestMessage, Task>>
        {
            [Caller.Anonymous] = _ => Task.CompletedTask,
            [Caller.BadSignature] = r => SdkSignature.SignAsync(r, project.User!.AccessKey, "not-the-secret", DateTimeOffset.UtcNow),
            [Caller.ExpiredSignature] = r => SdkSignature.SignAsync(r, project.User!.AccessKey, project.User.SecretKey,
                DateTimeOffset.UtcNow.AddMinutes(-16)),
            [Caller.OtherProject] = Signer(await UserOf(new ElbApi(fixture.Gateway))),
            [Caller.Viewer] = Signer(await UserOf(await project.AsAsync(ElbRole.Viewer))),
            [Caller.Member] = Signer(await UserOf(await project.AsAsync(ElbRole.Member))),
            [Caller.ProjectAdmin] = Signer(project.User!),
            [Caller.Node] = Signer(TestIdentity.Node),
            [Caller.SystemAdmin] = Signer(TestIdentity.SystemAdmin),
        };
        var eventsBefore = await fixture.CountEventsAsync();
        var failures = new List<string>();
        var calls = 0;
        using var client = new HttpClient(fixture.Gateway.Server.CreateHandler()) { BaseAddress = fixture.Gateway.Server.BaseAddress };
        foreach (var route in Routes())
        {
            foreach (var (caller, sign) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method),
                    new Uri(client.BaseAddress!, Fill(route.Pattern, project.Project)));
                if (route.Method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                await sign(request);
                using var response = await client.SendAsync(request);
                calls++;
                var status = (int)response.StatusCode;
                var expected = Expected(route, caller);
                // Routes open to any verified caller decide the rest themselves (a user's own keys), so 403 may come from them.
                var ok = expected is { } exact ? status == exact
                    : status != 401 && status < 500 && (status != 403 || route.Policy == ElbPolicy.Authenticated);
                if (!ok) failures.Add($"{route.Method} {route.Pattern} as {caller}: {status}, expected {expected?.ToString() ?? "let in"}: {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls:\n" + string.Join("\n", failures));
        Assert.Equal(eventsBefore, await fixture.CountEventsAsync());
    }

    /// <summary>The exact answer a refused caller gets, or null where the caller is let in.</summary>
    private static int? Expected(Route route, Caller caller)
    {
        if (IsPublic(route)) return null;
        if (caller is Caller.Anonymous or Caller.BadSignature or Caller.ExpiredSignature) return 401;
        if (route.Anonymous) return null;
        var outsider = caller is Caller.OtherProject or Caller.Node;
        var onResource = route.Pattern.Count(c => c == '{') > 1;
        var notInProject = onResource ? 404 : 403;
        return route.Policy switch
        {
            ElbPolicy.ProjectRead => outsider ? notInProject : null,
            ElbPolicy.ProjectWrite => outsider ? notInProject : caller == Caller.Viewer ? 403 : null,
            ElbPolicy.ProjectAdmin => outsider ? notInProject : caller is Caller.Viewer or Caller.Member ? 403 : null,
            ElbPolicy.SystemAdmin or ElbPolicy.SystemRead => caller == Caller.SystemAdmin ? null : 403,
            ElbPolicy.DataPlane or ElbPolicy.DataPlaneRead => caller is Caller.Node or Caller.SystemAdmin ? null : 403,
            _ => null,
        };
    }

    /// <summary>Open to anyone, signed or not: the operators' probe, the API's own description and the console's files (no project's data).</summary>
    private static bool IsPublic(Route route) =>
        route.Anonymous && (route.Pattern == "/health" || route.Pattern.StartsWith("/openapi/") || route.Pattern.StartsWith("/docs")
            || route.Pattern.StartsWith("/console"));

    private static string Fill(string pattern, string projectId) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "{([^}]+)}", m => m.Groups[1].Value switch
        {
            "projectId" => projectId,
            "documentName" => "v1",
            "role" => "elb_viewer",
            "accessKey" or "subnetId" or "serverId" => "UNKNOWN0000000000000",
            _ => Guid.NewGuid().ToString(),
        });

    private static Func<HttpRequestMessage, Task> Signer(ElbApi.ElbUser user) =>
        r => SdkSignature.SignAsync(r, user.AccessKey, user.SecretKey, DateTimeOffset.UtcNow);

    private static Func<HttpRequestMessage, Task> Signer(TestIdentity.Credentials credentials) =>
        r => SdkSignature.SignAsync(r, credentials.AccessKey, credentials.SecretKey, DateTimeOffset.UtcNow);

    private static async Task<ElbApi.ElbUser> UserOf(ElbApi api)
    {
        await api.GetAsync("elb/loadbalancers");
        return api.User!;
    }
}
