using System.Text.Json;
using Alba;

namespace Elb.IntegrationTests;

/// <summary>Drives the gateway over HTTP exactly as a user would, with ELB v3 JSON bodies.</summary>
public sealed class ElbApi(IAlbaHost gateway, string project = "project-a")
{
    public string Project => project;

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, int expectedStatus)
    {
        var result = await gateway.Scenario(s =>
        {
            var url = $"/v3/{project}/elb/{path}";
            if (method == HttpMethod.Post) s.Post.Text(json!).ToUrl(url);
            else s.Get.Url(url);
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(expectedStatus);
        });
        var body = await result.ReadAsTextAsync();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public Task<JsonElement> PostAsync(string path, string json, int expectedStatus = 201) =>
        SendAsync(HttpMethod.Post, path, json, expectedStatus);

    public Task<JsonElement> GetAsync(string path, int expectedStatus = 200) =>
        SendAsync(HttpMethod.Get, path, null, expectedStatus);

    public async Task<Guid> CreateLoadBalancerAsync(string name = "web") =>
        Id(await PostAsync("loadbalancers",
            $$$"""{"loadbalancer": {"name": "{{{name}}}", "vpc_id": "vpc-1", "availability_zone_list": ["az-1"], "guaranteed": true}}"""),
            "loadbalancer");

    public async Task<Guid> CreatePoolAsync(Guid loadBalancerId) =>
        Id(await PostAsync("pools",
            $$$"""{"pool": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "name": "api"}}"""),
            "pool");

    public async Task<Guid> AddMemberAsync(Guid poolId, string address, int port = 80, int weight = 1) =>
        Id(await PostAsync($"pools/{poolId}/members",
            $$$"""{"member": {"address": "{{{address}}}", "protocol_port": {{{port}}}, "weight": {{{weight}}}}}"""), "member");

    private static Guid Id(JsonElement body, string wrapper) => body.GetProperty(wrapper).GetProperty("id").GetGuid();
}
