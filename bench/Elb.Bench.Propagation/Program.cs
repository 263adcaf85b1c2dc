using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Elb.Signing;

// Measures how long a member POST takes (the AddBackendServer command, answered with its 201), and how long the member
// then takes to show in every data-plane node's /routing/{pool_id}. Needs a running gateway and nodes
// (bench/propagation.sh starts them).
// Usage: Elb.Bench.Propagation <gateway-url> <count> [<node-admin-url> ...] (without nodes: command latency only)
// With ELB_BACKGROUND_RATE=N, other member POSTs run meanwhile at N per second (to load balancers of their own), so the
// measured changes propagate under load.
// With ELB_CREDENTIALS (run.sh's .run/credentials) it signs as my-project's admin and reads the nodes with a system
// admin token; without, it calls an Elb from before authentication existed, in a project of its own.
// ELB_WARMUP_CHANGES (default 200) changes run first, the same way, and are not counted: while the background load
// starts, the gateway's connection pool grows and its first commands compile, and the measure is the steady state.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: [ELB_CREDENTIALS=.run/credentials] Elb.Bench.Propagation <gateway-url> <count> <node-admin-url>...");
    return 2;
}

var gatewayUrl = new Uri(args[0].TrimEnd('/') + "/");
var credentials = Environment.GetEnvironmentVariable("ELB_CREDENTIALS") is { Length: > 0 } path
    ? JsonDocument.Parse(File.ReadAllText(path)).RootElement
    : (JsonElement?)null;
HttpClient Signed(JsonElement user) => new(new SdkSigningHandler(user.GetProperty("access_key").GetString()!,
    user.GetProperty("secret_key").GetString()!, TimeProvider.System) { InnerHandler = new HttpClientHandler() }) { BaseAddress = gatewayUrl };
var gateway = credentials is { } signedAs ? Signed(signedAs.GetProperty("projects").GetProperty("my-project"))
    : new HttpClient { BaseAddress = gatewayUrl };
var count = int.Parse(args[1]);
var nodes = args[2..].Select(url => new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/") }).ToArray();
var project = credentials is null ? $"bench-{DateTime.UtcNow:yyyyMMddHHmmss}" : "my-project";
if (credentials is { } system)
{
    using var admin = Signed(system.GetProperty("system_admin"));
    using var issued = await admin.PostAsync("v3/auth/tokens", new StringContent("""{"auth": {}}""", System.Text.Encoding.UTF8, "application/json"));
    issued.EnsureSuccessStatusCode();
    foreach (var node in nodes) node.DefaultRequestHeaders.Add("X-Auth-Token", issued.Headers.GetValues("X-Subject-Token").Single());
    // The background load adds more members and load balancers than a project's default quotas allow.
    using var unlimited = await admin.PutAsync($"v3/{project}/elb/quotas", new StringContent(
        """{"quota": {"loadbalancer": -1, "pool": -1, "member": -1}}""", System.Text.Encoding.UTF8, "application/json"));
    unlimited.EnsureSuccessStatusCode();
}

async Task<string> Create(string path, string json, string wrapper)
{
    using var response = await gateway.PostAsync($"v3/{project}/{path}",
        new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
    return body.GetProperty(wrapper).GetProperty("id").GetString()!;
}

// A load balancer holds at most 492 members: a new one (IP as backend, on a registered subnet) every 50, which also
// keeps the polled /routing/{pool_id} answer small, so polling does not load the machine it measures.
const int MembersPerLoadBalancer = 50;
using (var subnet = await gateway.PostAsync($"v3/{project}/inventory/subnets", new StringContent(
    """{"subnet": {"id": "bench-subnet", "vpc_id": "vpc-bench", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}""",
    System.Text.Encoding.UTF8, "application/json")))
{
    subnet.EnsureSuccessStatusCode();
}

async Task<string> NewPool()
{
    var loadBalancerId = await Create("elb/loadbalancers",
        """{"loadbalancer": {"name": "bench", "vpc_id": "vpc-bench", "vip_subnet_cidr_id": "bench-subnet", "availability_zone_list": ["az-1"], "ip_target_enable": true}}""",
        "loadbalancer");
    return await Create("elb/pools",
        $$$"""{"pool": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}""", "pool");
}

var backgroundRate = int.TryParse(Environment.GetEnvironmentVariable("ELB_BACKGROUND_RATE"), out var rate) ? rate : 0;
using var stopBackground = new CancellationTokenSource();
var background = backgroundRate > 0 ? Task.Run(() => Background(backgroundRate, stopBackground.Token)) : Task.FromResult(0);

var latencies = new List<double>[nodes.Length];
for (var n = 0; n < nodes.Length; n++) latencies[n] = new List<double>(count);
var commands = new List<double>(count);
var everywhere = new List<double>(count);

var warmup = int.TryParse(Environment.GetEnvironmentVariable("ELB_WARMUP_CHANGES"), out var unmeasured) ? unmeasured : 200;
var poolId = "";
for (var change = 0; change < warmup + count; change++)
{
    var counted = change >= warmup;
    if (change % MembersPerLoadBalancer == 0) poolId = await NewPool();
    var address = $"10.{change / 62_500 % 250}.{change / 250 % 250}.{change % 250 + 1}";
    var needle = $"\"{address}\"";
    var posted = Stopwatch.GetTimestamp();
    await Create($"elb/pools/{poolId}/members", $$$"""{"member": {"address": "{{{address}}}", "protocol_port": 80}}""", "member");
    var created = Stopwatch.GetTimestamp();
    if (counted) commands.Add(Stopwatch.GetElapsedTime(posted, created).TotalMilliseconds);
    await Task.WhenAll(nodes.Select(async (node, n) =>
    {
        var deadline = created + Stopwatch.Frequency * 30;
        while (!await Shows(node, poolId, needle))
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{address} never reached {node.BaseAddress}");
            await Task.Delay(1);
        }
        if (counted) latencies[n].Add(Stopwatch.GetElapsedTime(created).TotalMilliseconds);
    }));
    if (counted) everywhere.Add(Stopwatch.GetElapsedTime(posted).TotalMilliseconds);
}

await stopBackground.CancelAsync();
var backgroundPosted = await background;

// Member POSTs at a steady rate, each started on its tick whether or not the previous one has answered (at most 64 in
// flight), on addresses of their own (10.250.x.y and up), in turn over load balancers of their own, as many tenants'
// changes would be: all on one load balancer, they would queue on its lock, which measures that lock, not propagation.
async Task<int> Background(int perSecond, CancellationToken stop)
{
    const int LoadBalancers = 20, MembersEach = 450;
    using var inFlight = new SemaphoreSlim(64);
    using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
    var pending = new List<Task>();
    var posted = 0;
    var pools = new string[LoadBalancers];
    try
    {
        while (await ticks.WaitForNextTickAsync(stop))
        {
            var slot = posted % LoadBalancers;
            if (posted / LoadBalancers % MembersEach == 0) pools[slot] = await NewPool();
            var address = $"10.{250 + posted / 62_500}.{posted / 250 % 250}.{posted % 250 + 1}";
            var target = pools[slot];
            posted++;
            await inFlight.WaitAsync(stop);
            pending.Add(Task.Run(async () =>
            {
                try { await Create($"elb/pools/{target}/members", $$$"""{"member": {"address": "{{{address}}}", "protocol_port": 80}}""", "member"); }
                finally { inFlight.Release(); }
            }));
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    await Task.WhenAll(pending);
    return posted;
}

// A 404 means the node has not seen the pool yet: keep polling.
static async Task<bool> Shows(HttpClient node, string poolId, string needle)
{
    using var response = await node.GetAsync($"routing/{poolId}");
    return response.IsSuccessStatusCode
        && (await response.Content.ReadAsStringAsync()).Contains(needle, StringComparison.Ordinal);
}

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

static string Row(string what, List<double> measured)
{
    var sorted = measured.Order().ToList();
    return $"| {what} | {sorted.Count} | {Percentile(sorted, 50):F1} | {Percentile(sorted, 99):F1} | {sorted[^1]:F1} |";
}

if (backgroundRate > 0) Console.Error.WriteLine($"[bench] {backgroundPosted} background member POSTs meanwhile");
Console.WriteLine(Row($"member POST → 201 (gateway{(credentials is null ? "" : ", AK/SK-signed")})", commands));
for (var n = 0; n < nodes.Length; n++) Console.WriteLine(Row($"201 → {nodes[n].BaseAddress}", latencies[n]));
if (nodes.Length > 0) Console.WriteLine(Row("member POST sent → shown by every node", everywhere));
return 0;
