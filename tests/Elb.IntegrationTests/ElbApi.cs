using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Alba;

namespace Elb.IntegrationTests;

/// <summary>Drives the gateway over HTTP exactly as a user would, with ELB v3 JSON bodies, in a project of its own.</summary>
public sealed class ElbApi(IAlbaHost gateway, string? project = null)
{
    public string Project { get; } = project ?? $"p-{Guid.NewGuid():N}";

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, int expectedStatus,
        string? user = null)
    {
        var url = path.StartsWith('/') ? path : $"/v3/{Project}/{path}";
        var result = await gateway.Scenario(s =>
        {
            if (method == HttpMethod.Post) s.Post.Text(json!).ToUrl(url);
            else if (method == HttpMethod.Put) s.Put.Text(json!).ToUrl(url);
            else if (method == HttpMethod.Delete) s.Delete.Url(url);
            else s.Get.Url(url);
            s.WithRequestHeader("Content-Type", "application/json");
            if (user is not null) s.WithRequestHeader("X-Elb-User", user);
            s.StatusCodeShouldBe(expectedStatus);
        }).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => t.IsFaulted
            ? throw new InvalidOperationException($"{method} {url} {json}: {t.Exception!.InnerException!.Message}", t.Exception)
            : t.Result);
        var body = await result.ReadAsTextAsync();
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<JsonElement> PostAsync(string path, string json, int expectedStatus = 201, string? user = null) =>
        SendAsync(HttpMethod.Post, path, json, expectedStatus, user);

    public Task<JsonElement> PutAsync(string path, string json, int expectedStatus = 200) =>
        SendAsync(HttpMethod.Put, path, json, expectedStatus);

    public Task<JsonElement> GetAsync(string path, int expectedStatus = 200) =>
        SendAsync(HttpMethod.Get, path, null, expectedStatus);

    public Task<JsonElement> DeleteAsync(string path, int expectedStatus = 204) =>
        SendAsync(HttpMethod.Delete, path, null, expectedStatus);

    /// <summary>Posts straight to the test server, for many requests in parallel.</summary>
    public async Task<(int Status, JsonElement Body)> PostConcurrentlyAsync(string path, string json)
    {
        using var client = gateway.Server.CreateClient();
        using var response = await client.PostAsync($"/v3/{Project}/{path}", new StringContent(json, Encoding.UTF8, "application/json"));
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public Task RegisterSubnetAsync(string id = "subnet-1", string cidr = "10.0.0.0/24", string vpc = "vpc-1", string zone = "az-1") =>
        PostAsync("inventory/subnets", $$$"""{"subnet": {"id": "{{{id}}}", "vpc_id": "{{{vpc}}}", "cidr": "{{{cidr}}}", "availability_zone": "{{{zone}}}"}}""");

    public Task RegisterServerAsync(string id, string address, string os = "Linux", string subnet = "subnet-1", string status = "running") =>
        PostAsync("inventory/servers",
            $$$"""{"server": {"id": "{{{id}}}", "name": "{{{id}}}", "subnet_id": "{{{subnet}}}", "address": "{{{address}}}", "os": "{{{os}}}", "status": "{{{status}}}"}}""");

    /// <summary>A dedicated load balancer in vpc-1 on <paramref name="subnet"/>, with IP as backend unless told otherwise.</summary>
    public async Task<Guid> CreateLoadBalancerAsync(string name = "web", bool ipAsBackend = true, string subnet = "subnet-1",
        bool guaranteed = true, string zones = "\"az-1\", \"az-2\"") =>
        Id(await PostAsync("elb/loadbalancers",
            $$$"""{"loadbalancer": {"name": "{{{name}}}", "vpc_id": "vpc-1", "vip_subnet_cidr_id": "{{{subnet}}}", "availability_zone_list": [{{{zones}}}], "guaranteed": {{{Json(guaranteed)}}}, "ip_target_enable": {{{Json(ipAsBackend)}}}}}"""),
            "loadbalancer");

    /// <summary>Registers subnet-1 and creates an IP-as-backend load balancer on it: the quickest place to put members.</summary>
    public async Task<Guid> CreateLoadBalancerWithSubnetAsync(string name = "web")
    {
        await RegisterSubnetAsync();
        return await CreateLoadBalancerAsync(name);
    }

    public async Task<Guid> CreatePoolAsync(Guid loadBalancerId, string protocol = "HTTP", string algorithm = "ROUND_ROBIN",
        string extra = "") =>
        Id(await PostAsync("elb/pools",
            $$$"""{"pool": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "{{{protocol}}}", "lb_algorithm": "{{{algorithm}}}", "name": "api"{{{extra}}}}}"""),
            "pool");

    public async Task<Guid> AddMemberAsync(Guid poolId, string address, int port = 80, int weight = 1) =>
        Id(await PostAsync($"elb/pools/{poolId}/members",
            $$$"""{"member": {"address": "{{{address}}}", "protocol_port": {{{port}}}, "weight": {{{weight}}}}}"""), "member");

    public async Task<Guid> AddInstanceMemberAsync(Guid poolId, string serverId, int port = 80, int weight = 1) =>
        Id(await PostAsync($"elb/pools/{poolId}/members",
            $$$"""{"member": {"instance_id": "{{{serverId}}}", "protocol_port": {{{port}}}, "weight": {{{weight}}}}}"""), "member");

    public static Guid Id(JsonElement body, string wrapper) => body.GetProperty(wrapper).GetProperty("id").GetGuid();

    private static string Json(bool value) => value ? "true" : "false";
}
