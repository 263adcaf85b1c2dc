using System.Text;
using System.Text.Json;
using Alba;
using Elb.Commands.Identity;

namespace Elb.IntegrationTests;

/// <summary>
/// Drives the gateway over HTTP exactly as a user would, with ELB v3 JSON bodies, in a project of its own: on first
/// use the system admin creates the project and a user holding <paramref name="role"/> in it with an access key, and
/// every request is then signed with that key as the official SDKs sign.
/// </summary>
public sealed class ElbApi(IAlbaHost gateway, string? project = null, ElbRole role = ElbRole.Admin)
{
    private Lazy<Task<HttpClient>> _client = null!;

    public string Project { get; } = project ?? $"p-{Guid.NewGuid():N}";

    /// <summary>The user this api acts as (known once it has made its first call).</summary>
    public ElbUser? User { get; private set; }

    public sealed record ElbUser(string Id, string Name, string AccessKey, string SecretKey);

    /// <summary>The system admin the gateway was bootstrapped with, for system and data-plane routes.</summary>
    public static ElbApi SystemAdmin(IAlbaHost gateway) => new(gateway, "system", TestIdentity.SystemAdmin);

    /// <summary>The bootstrapped data-plane node user, acting on <paramref name="project"/>'s routes (health reports).</summary>
    public static ElbApi Node(IAlbaHost gateway, string project) => new(gateway, project, TestIdentity.Node);

    private ElbApi(IAlbaHost gateway, string project, TestIdentity.Credentials credentials) : this(gateway, project)
    {
        _client = new(() => Task.FromResult(Client(credentials.AccessKey, credentials.SecretKey)));
    }

    private Lazy<Task<HttpClient>> Connection => _client ??= new Lazy<Task<HttpClient>>(ProvisionAsync);

    /// <summary>Another user of the same project holding <paramref name="otherRole"/> (the project is made if needed).</summary>
    public async Task<ElbApi> AsAsync(ElbRole otherRole)
    {
        await Connection.Value;
        return new ElbApi(gateway, Project, otherRole);
    }

    private async Task<HttpClient> ProvisionAsync()
    {
        var admin = SystemAdmin(gateway);
        var (status, _) = await admin.TrySendAsync(HttpMethod.Post, "/v3/projects", $$$"""{"project": {"id": "{{{Project}}}"}}""");
        if (status is not (201 or 409)) throw new InvalidOperationException($"Could not create project {Project}: {status}");
        User = await admin.CreateUserAsync(Project, role);
        return Client(User.AccessKey, User.SecretKey);
    }

    /// <summary>A user owned by <paramref name="projectId"/>, with <paramref name="userRole"/> there (if any) and an access key.</summary>
    public async Task<ElbUser> CreateUserAsync(string projectId, ElbRole? userRole)
    {
        var name = $"u-{Guid.NewGuid():N}";
        var userId = (await PostAsync("/v3/users", $$$"""{"user": {"name": "{{{name}}}", "default_project_id": "{{{projectId}}}"}}"""))
            .GetProperty("user").GetProperty("id").GetString()!;
        if (userRole is { } granted) await PutAsync($"/v3/projects/{projectId}/users/{userId}/roles/{granted.Name()}", "", 204);
        var key = (await PostAsync("/v3.0/OS-CREDENTIAL/credentials", $$$"""{"credential": {"user_id": "{{{userId}}}"}}"""))
            .GetProperty("credential");
        return new ElbUser(userId, name, key.GetProperty("access").GetString()!, key.GetProperty("secret").GetString()!);
    }

    private HttpClient Client(string accessKey, string secretKey) => TestIdentity.SignedClient(gateway, accessKey, secretKey);

    private string Url(string path) => path.StartsWith('/') ? path : $"/v3/{Project}/{path}";

    /// <summary>Sends and answers the status and body, whatever the status.</summary>
    public async Task<(int Status, JsonElement Body)> TrySendAsync(HttpMethod method, string path, string? json)
    {
        var client = await Connection.Value;
        using var request = new HttpRequestMessage(method, Url(path));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone());
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json, int expectedStatus)
    {
        var (status, body) = await TrySendAsync(method, path, json);
        return status == expectedStatus ? body
            : throw new InvalidOperationException($"{method} {Url(path)} {json}: expected {expectedStatus}, got {status}: {body}");
    }

    public Task<JsonElement> PostAsync(string path, string json, int expectedStatus = 201) =>
        SendAsync(HttpMethod.Post, path, json, expectedStatus);

    public Task<JsonElement> PutAsync(string path, string json, int expectedStatus = 200) =>
        SendAsync(HttpMethod.Put, path, json, expectedStatus);

    public Task<JsonElement> GetAsync(string path, int expectedStatus = 200) =>
        SendAsync(HttpMethod.Get, path, null, expectedStatus);

    public Task<JsonElement> DeleteAsync(string path, int expectedStatus = 204) =>
        SendAsync(HttpMethod.Delete, path, null, expectedStatus);

    /// <summary>Posts without asserting the status, for many requests in parallel.</summary>
    public Task<(int Status, JsonElement Body)> PostConcurrentlyAsync(string path, string json) =>
        TrySendAsync(HttpMethod.Post, path, json);

    /// <summary>
    /// Where the tests' load balancers take their VIPs: one range for every project, as VIPs are unique across the
    /// installation, and the range each test node maps onto loopback addresses of its own.
    /// </summary>
    public const string VipNetwork = "10.0.0.0/16";

    public Task RegisterSubnetAsync(string id = "subnet-1", string cidr = VipNetwork, string vpc = "vpc-1", string zone = "az-1") =>
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

    public async Task<string> VipOfAsync(Guid loadBalancerId) =>
        (await GetAsync($"elb/loadbalancers/{loadBalancerId}")).GetProperty("loadbalancer").GetProperty("vip_address").GetString()!;

    public static Guid Id(JsonElement body, string wrapper) => body.GetProperty(wrapper).GetProperty("id").GetGuid();

    private static string Json(bool value) => value ? "true" : "false";
}
