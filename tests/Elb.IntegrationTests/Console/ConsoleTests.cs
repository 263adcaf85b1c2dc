using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Elb.Gateway.Console;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Elb.IntegrationTests.Console;

/// <summary>
/// The web console in headless Chromium against a gateway on a real loopback port: a user signs in with a password,
/// finds where a backend server serves by its IP address and by its server ID, opens the load balancer and its history,
/// and sees it as it was. Every page is saved as a screenshot (<see cref="ConsoleBrowser.ScreenshotAsync"/>).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class ConsoleTests(GatewayFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_user_signs_in_finds_a_backend_server_by_ip_and_by_id_and_opens_its_load_balancer_and_history()
    {
        await using var backends = await Backends.StartAsync(2);
        var shop = await ShopAsync(backends);
        await using var node = await fixture.StartDataPlaneAsync($"console-{Guid.NewGuid():N}"[..20]);
        await WaitUntilServedAsync(shop);
        var version = (await shop.Api.GetAsync($"elb/loadbalancers/{shop.LoadBalancerId}/convergence"))
            .GetProperty("convergence").GetProperty("version").GetInt64();
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.ListeningGatewayUrl(), output);
        var page = browser.Page;

        await Expect(page.Locator("#sign-in h1")).ToHaveTextAsync("Sign in to Elb");
        await Expect(page.Locator("#bar")).ToBeHiddenAsync();
        await browser.ScreenshotAsync("sign-in");
        await browser.SignInAsync(shop.User, shop.Password, shop.Api.Project);
        await Expect(page.Locator("main table")).ToContainTextAsync("shop-eu");

        // By IP address: the one address is in the pool twice over, as server ecs-web-1 and as an IP member on another port.
        await browser.SearchAsync("127.0.0.1");
        await Expect(page.Locator("#search-summary")).ToHaveTextAsync("2 member(s) in 1 backend server group(s) of 1 load balancer(s).");
        await Expect(page.Locator("main tbody tr")).ToHaveCountAsync(2);
        Assert.Equal($"shop-eu | api | ecs-web-1 | 127.0.0.1:{backends.Ports[0]} | 5 | ONLINE | none | az-1",
            await CellsAsync(page, $"127.0.0.1:{backends.Ports[0]}"));
        Assert.Matches($@"^shop-eu \| api \| IP member \w{{8}} \| 127\.0\.0\.1:{backends.Ports[1]} \| 3 \| ONLINE \| active until [-0-9: ]+ UTC \| az-1$",
            await CellsAsync(page, $"127.0.0.1:{backends.Ports[1]}"));
        await browser.ScreenshotAsync("search-by-ip");

        // By server ID: the server in az-2, where nothing answers: OFFLINE.
        await browser.SearchAsync("ecs-web-2");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Server ecs-web-2");
        await Expect(page.Locator("main .server")).ToHaveTextAsync("ecs-web-2, 127.0.1.2, running, az-2, Linux");
        Assert.Equal("shop-eu | api | ecs-web-2 | 127.0.1.2:8080 | 1 | OFFLINE | pending (waits for its first healthy check) | az-2", await CellsAsync(page, "127.0.1.2:8080"));
        await browser.ScreenshotAsync("search-by-server-id");

        await page.ClickAsync("main tbody a:text('shop-eu')");
        await Expect(page.Locator("main .lb-name")).ToHaveTextAsync("shop-eu");
        await Expect(page.Locator("main .warning")).ToHaveTextAsync(
            "Availability zone az-2 has no healthy backend server; ensure at least one works in each zone to avoid a single point of failure.");
        Assert.Equal("az-1 | 2 | 2 | has a healthy server", await CellsAsync(page, "az-1", firstCell: true));
        Assert.Equal("az-2 | 1 | 0 | no healthy server", await CellsAsync(page, "az-2", firstCell: true));
        Assert.Matches(@"^\w{8} \| HTTP \| 80 \| api \| ONLINE \| 127\.\d+\.0\.\d+:80$", await CellsAsync(page, "HTTP"));
        await Expect(page.Locator("main .pool-facts")).ToHaveTextAsync("HTTP, ROUND_ROBIN · slow start 30 s · not sticky · health checks on");
        await Expect(page.Locator("main .pool tbody tr")).ToHaveCountAsync(3);
        Assert.Matches($@"^node 1 \| ONLINE \| [-0-9: ]+ UTC \| {version} \| [0-9a-f]{{16}} \| converged$", await CellsAsync(page, "node 1"));
        await browser.ScreenshotAsync("load-balancer");

        await page.ClickAsync("main .heading a:text('History')");
        await Expect(page.Locator("#history-title")).ToHaveTextAsync("History of shop-eu");
        var created = page.Locator("li.event[data-version='1']");
        await Expect(created.Locator(".what")).ToHaveTextAsync("LoadBalancerCreated");
        await Expect(created.Locator(".who")).ToHaveTextAsync($"by {shop.Admin} (aksk)");
        await Expect(page.Locator("li.event .what")).ToContainTextAsync(["LoadBalancerUpdated", "BackendServerAdded", "LoadBalancerCreated"]);

        // As it was right after the last member was added: still named shop, before the rename.
        await page.ClickAsync($"li.event[data-version='{shop.LastMemberVersion}'] a");
        await Expect(page.Locator("#as-of h2")).ToContainTextAsync($"(version {shop.LastMemberVersion})");
        await Expect(page.Locator("#as-of .lb-name")).ToHaveTextAsync("shop");
        await Expect(page.Locator("#as-of .pool tbody tr")).ToHaveCountAsync(3);
        await browser.ScreenshotAsync("history");

        // A time picked before the load balancer existed: the API's answer, shown as it came.
        await page.FillAsync("#as-of-form input", "2020-01-01T08:30:15");
        await page.ClickAsync("#as-of-form button");
        await Expect(page.Locator("#as-of .problem")).ToContainTextAsync("ELB.LoadBalancerNotFound");

        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task A_tenants_names_show_as_text_and_never_run_as_script()
    {
        const string name = "<img src=x onerror=window.injected=true>";
        var api = new ElbApi(fixture.Gateway);
        await api.RegisterSubnetAsync();
        var loadBalancerId = await api.CreateLoadBalancerAsync(name);
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        await api.AddMemberAsync(poolId, "10.0.77.7");
        var (user, password) = await UserWithPasswordAsync(api.Project);
        await using var browser = await ConsoleBrowser.OpenAsync(fixture.ListeningGatewayUrl(), output);
        var page = browser.Page;
        await browser.SignInWithTokenAsync(await TokenAsync(user, password, api.Project), api.Project);

        await browser.SearchAsync("10.0.77.7");
        await Expect(page.Locator("main tbody a")).ToHaveTextAsync(name);
        await page.ClickAsync("main tbody a");
        await Expect(page.Locator("main .lb-name")).ToHaveTextAsync(name);
        await page.ClickAsync("main .heading a:text('History')");
        await Expect(page.Locator("#history-title .lb-name")).ToHaveTextAsync(name);

        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.injected === undefined"));
        Assert.Empty(browser.ScriptErrors);
    }

    [Fact]
    public async Task The_console_is_served_with_a_strict_content_security_policy_and_no_inline_script()
    {
        using var client = fixture.Gateway.Server.CreateClient();
        using var bare = await client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("console/", bare.Headers.Location?.OriginalString);

        foreach (var (file, contentType) in new[] { ("", "text/html"), ("console.js", "text/javascript"), ("console.css", "text/css") })
        {
            using var response = await client.GetAsync($"/console/{file}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("unsafe-inline", policy);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
        var html = await client.GetStringAsync("/console/");
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\ssrc=)"), html);
        Assert.DoesNotMatch(new Regex("\\son[a-z]+="), html);

        using var missing = await client.GetAsync("/console/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void No_script_of_the_console_writes_markup_or_evaluates_text()
    {
        var scripts = ConsoleFile.LoadAll().Where(f => f.Key.EndsWith(".js", StringComparison.Ordinal)).ToList();
        Assert.True(scripts.Count >= 5, $"only {scripts.Count} scripts found");
        foreach (var (name, file) in scripts)
        {
            var script = Encoding.UTF8.GetString(file.Content);
            Assert.False(MarkupSinks().IsMatch(script), $"{name} uses {MarkupSinks().Match(script).Value}");
        }
    }

    [Fact]
    public async Task The_convergence_route_tells_a_tenant_how_the_nodes_stand_without_naming_them()
    {
        var api = new ElbApi(fixture.Gateway);
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var nodeId = $"console-{Guid.NewGuid():N}"[..20];
        await using var node = await fixture.StartDataPlaneAsync(nodeId);
        var version = (await api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history")).GetProperty("events").GetArrayLength();

        var convergence = default(JsonElement);
        await Eventually.Until(async () =>
        {
            convergence = (await api.GetAsync($"elb/loadbalancers/{loadBalancerId}/convergence")).GetProperty("convergence");
            return convergence.GetProperty("converged").GetBoolean();
        }, "every online node converged on the load balancer", Within, TimeSpan.FromMilliseconds(200));

        Assert.Equal(version, convergence.GetProperty("version").GetInt64());
        var nodes = convergence.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Contains(nodes, n => n.GetProperty("applied_version").GetInt64() == version
            && n.GetProperty("digest").GetString() == convergence.GetProperty("digest").GetString());
        Assert.DoesNotContain(nodeId, convergence.GetRawText());
    }

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(""on")]
    private static partial Regex MarkupSinks();

    private static ILocator Row(IPage page, string text) => page.Locator("main tr", new PageLocatorOptions { HasText = text });

    /// <summary>The cells of the one row holding <paramref name="text"/> (or, with <paramref name="firstCell"/>, starting with it), joined by " | ".</summary>
    private static async Task<string> CellsAsync(IPage page, string text, bool firstCell = false)
    {
        var row = firstCell ? page.Locator($"main tr:has(> td:first-child:text-is('{text}'))") : Row(page, text);
        await Expect(row).ToHaveCountAsync(1);
        return string.Join(" | ", await row.Locator("td").AllInnerTextsAsync());
    }

    private sealed record Shop(ElbApi Api, string User, string Password, string Admin, Guid LoadBalancerId,
        long LastMemberVersion);

    /// <summary>
    /// A load balancer with IP as backend in az-1 and az-2, its HTTP listener and slow-start pool with health checks,
    /// and three members: server ecs-web-1 and an IP member in az-1, both the same address on backends that answer,
    /// and server ecs-web-2 in az-2, where nothing answers. Renamed from shop to shop-eu at the end.
    /// </summary>
    private async Task<Shop> ShopAsync(Backends backends)
    {
        var api = new ElbApi(fixture.Gateway, $"my-shop-{Guid.NewGuid():N}"[..15]);
        await api.RegisterSubnetAsync("subnet-vip");
        await api.RegisterSubnetAsync("subnet-a", "127.0.0.0/24", zone: "az-1");
        await api.RegisterSubnetAsync("subnet-b", "127.0.1.0/24", zone: "az-2");
        await api.RegisterServerAsync("ecs-web-1", "127.0.0.1", subnet: "subnet-a");
        await api.RegisterServerAsync("ecs-web-2", "127.0.1.2", subnet: "subnet-b");
        var loadBalancerId = await api.CreateLoadBalancerAsync("shop", subnet: "subnet-vip");
        var poolId = await api.CreatePoolAsync(loadBalancerId, extra: """, "slow_start": {"enable": true, "duration": 30}""");
        await api.PostAsync("elb/listeners", $$$"""
            {"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "protocol_port": 80, "default_pool_id": "{{{poolId}}}"}}
            """);
        await api.PostAsync("elb/healthmonitors", $$$"""
            {"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "url_path": "/healthz"}}
            """);
        await api.AddInstanceMemberAsync(poolId, "ecs-web-1", backends.Ports[0], weight: 5);
        await api.PostAsync($"elb/pools/{poolId}/members", $$$"""
            {"member": {"address": "127.0.0.1", "protocol_port": {{{backends.Ports[1]}}}, "weight": 3, "availability_zone": "az-1"}}
            """);
        await api.AddInstanceMemberAsync(poolId, "ecs-web-2", 8080);
        var lastMemberVersion = (await api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history")).GetProperty("events")
            .EnumerateArray().Last().GetProperty("version").GetInt64();
        await api.PutAsync($"elb/loadbalancers/{loadBalancerId}", """{"loadbalancer": {"name": "shop-eu"}}""");
        var (user, password) = await UserWithPasswordAsync(api.Project);
        return new Shop(api, user, password, api.User!.Name, loadBalancerId, lastMemberVersion);
    }

    /// <summary>Until the node probed both backends healthy and every online node routes by the latest version.</summary>
    private async Task WaitUntilServedAsync(Shop shop)
    {
        await Eventually.Until(async () =>
        {
            var members = (await shop.Api.GetAsync($"elb/members?loadbalancer_id={shop.LoadBalancerId}")).GetProperty("members")
                .EnumerateArray().ToList();
            var convergence = (await shop.Api.GetAsync($"elb/loadbalancers/{shop.LoadBalancerId}/convergence")).GetProperty("convergence");
            return members.Count(m => m.GetProperty("operating_status").GetString() == "ONLINE") == 2
                && convergence.GetProperty("converged").GetBoolean();
        }, "both backends ONLINE and the nodes converged", Within, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>A viewer of the project who signs in with a password, as a person at the console does.</summary>
    private async Task<(string User, string Password)> UserWithPasswordAsync(string project)
    {
        var admin = ElbApi.SystemAdmin(fixture.Gateway);
        var (name, password) = ($"viewer-{Guid.NewGuid():N}"[..15], $"pw-{Guid.NewGuid():N}");
        var userId = (await admin.PostAsync("/v3/users",
                $$$"""{"user": {"name": "{{{name}}}", "password": "{{{password}}}", "default_project_id": "{{{project}}}"}}"""))
            .GetProperty("user").GetProperty("id").GetString();
        await admin.PutAsync($"/v3/projects/{project}/users/{userId}/roles/elb_viewer", "", 204);
        return (name, password);
    }

    private async Task<string> TokenAsync(string user, string password, string project)
    {
        using var client = new HttpClient { BaseAddress = fixture.ListeningGatewayUrl() };
        var body = JsonSerializer.Serialize(new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name = user, password } } },
                scope = new { project = new { id = project } },
            },
        });
        using var response = await client.PostAsync("/v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Subject-Token").Single();
    }
}
