using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Elb.Signing;

// One project floods its load balancer with writes while another project reads and writes as usual: the quiet
// project's latency is measured alone, then during the flood. Needs a running Elb (bench/isolation.sh starts one) and
// run.sh's .run/credentials: the quiet project is my-project; the system admin makes the flooding one.
// Usage: Elb.Bench.Isolation <gateway-url> <operations> <flooding-clients>
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ELB_CREDENTIALS=.run/credentials Elb.Bench.Isolation <gateway-url> <operations> <flooding-clients>");
    return 2;
}
var gateway = new Uri(args[0].TrimEnd('/') + "/");
var operations = int.Parse(args[1]);
var floodingClients = int.Parse(args[2]);
var credentials = JsonDocument.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("ELB_CREDENTIALS") ?? ".run/credentials")).RootElement;

HttpClient Signed(string accessKey, string secretKey) =>
    new(new SdkSigningHandler(accessKey, secretKey, TimeProvider.System) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 } })
    {
        BaseAddress = gateway,
    };
HttpClient SignedAs(JsonElement user) => Signed(user.GetProperty("access_key").GetString()!, user.GetProperty("secret_key").GetString()!);

async Task<JsonElement> Send(HttpClient client, HttpMethod method, string path, string? json = null)
{
    using var request = new HttpRequestMessage(method, path);
    if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
    using var response = await client.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
    return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
}

// The flooding project, its admin and a key, made by the system admin.
using var admin = SignedAs(credentials.GetProperty("system_admin"));
var floodProject = $"flood-{DateTime.UtcNow:HHmmss}";
await Send(admin, HttpMethod.Post, "v3/projects", $$$"""{"project": {"id": "{{{floodProject}}}"}}""");
var userId = (await Send(admin, HttpMethod.Post, "v3/users", $$$"""{"user": {"name": "{{{floodProject}}}-admin", "default_project_id": "{{{floodProject}}}"}}"""))
    .GetProperty("user").GetProperty("id").GetString();
await Send(admin, HttpMethod.Put, $"v3/projects/{floodProject}/users/{userId}/roles/elb_admin");
var key = (await Send(admin, HttpMethod.Post, "v3.0/OS-CREDENTIAL/credentials", $$$"""{"credential": {"user_id": "{{{userId}}}"}}""")).GetProperty("credential");
using var flooder = Signed(key.GetProperty("access").GetString()!, key.GetProperty("secret").GetString()!);
using var quiet = SignedAs(credentials.GetProperty("projects").GetProperty("my-project"));

// A load balancer with a pool and members in each project.
async Task<(string Pool, string[] Members)> Setup(HttpClient client, string project)
{
    await Send(client, HttpMethod.Post, $"v3/{project}/inventory/subnets",
        """{"subnet": {"id": "iso-subnet", "vpc_id": "vpc-iso", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}""");
    var lb = (await Send(client, HttpMethod.Post, $"v3/{project}/elb/loadbalancers",
        """{"loadbalancer": {"vpc_id": "vpc-iso", "vip_subnet_cidr_id": "iso-subnet", "availability_zone_list": ["az-1"], "ip_target_enable": true}}"""))
        .GetProperty("loadbalancer").GetProperty("id").GetString();
    var pool = (await Send(client, HttpMethod.Post, $"v3/{project}/elb/pools",
        $$$"""{"pool": {"loadbalancer_id": "{{{lb}}}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}""")).GetProperty("pool").GetProperty("id").GetString()!;
    var members = new List<string>();
    for (var i = 0; i < 8; i++)
    {
        members.Add((await Send(client, HttpMethod.Post, $"v3/{project}/elb/pools/{pool}/members",
            $$$"""{"member": {"address": "10.0.0.{{{i + 10}}}", "protocol_port": 80}}""")).GetProperty("member").GetProperty("id").GetString()!);
    }
    return (pool, [.. members]);
}
var (quietPool, quietMembers) = await Setup(quiet, "my-project");
var (floodPool, floodMembers) = await Setup(flooder, floodProject);

// The quiet project's usual work, as a tenant within its rate limit does it: every 150 ms a read of its pool's members,
// then a weight change, timed apart.
async Task<(List<double> Reads, List<double> Writes)> QuietWork()
{
    var (reads, writes) = (new List<double>(), new List<double>());
    using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(150));
    for (var i = 0; i < operations; i++)
    {
        await pace.WaitForNextTickAsync();
        var started = Stopwatch.GetTimestamp();
        await Send(quiet, HttpMethod.Get, $"v3/my-project/elb/pools/{quietPool}/members");
        reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        started = Stopwatch.GetTimestamp();
        await Send(quiet, HttpMethod.Put, $"v3/my-project/elb/pools/{quietPool}/members/{quietMembers[i % quietMembers.Length]}",
            $$$"""{"member": {"weight": {{{1 + i % 50}}}}}""");
        writes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return (reads, writes);
}

var alone = await QuietWork();

var answers = new ConcurrentDictionary<int, int>();
using var stop = new CancellationTokenSource();
var flood = Enumerable.Range(0, floodingClients).Select(c => Task.Run(async () =>
{
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"v3/{floodProject}/elb/pools/{floodPool}/members/{floodMembers[(c + i) % floodMembers.Length]}")
        {
            Content = new StringContent($$$"""{"member": {"weight": {{{1 + i % 50}}}}}""", Encoding.UTF8, "application/json"),
        };
        using var response = await flooder.SendAsync(request);
        answers.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
    }
})).ToList();
await Task.Delay(TimeSpan.FromSeconds(2));
var during = await QuietWork();
stop.Cancel();
await Task.WhenAll(flood);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
static string Row(string what, List<double> values) => $"| {what} | {values.Count} | {Percentile(values, 50):F1} | {Percentile(values, 99):F1} |";

Console.WriteLine(Row("quiet project: read its pool's members, alone", alone.Reads));
Console.WriteLine(Row($"quiet project: read its pool's members, while another project floods with {floodingClients} clients", during.Reads));
Console.WriteLine(Row("quiet project: change a member's weight, alone", alone.Writes));
Console.WriteLine(Row($"quiet project: change a member's weight, during the flood", during.Writes));
Console.WriteLine($"FLOOD {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Value} × {a.Key} {(HttpStatusCode)a.Key}"))}");
return 0;
