using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elb.Signing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// One phase of bench/faults.sh: a client changing members at a steady rate while the script injects a fault, then the
// checks. It creates LOADBALANCERS load balancers (one pool each) of its own and a subscriber on elb.events, writes
// <workdir>/ready, and sends commands (a member added, or a member's name and weight changed; every request names its
// member uniquely, "<phase>-<command>.<try>", so the history and the events tell which request they came from) until
// <workdir>/stop appears. <workdir>/healed (Unix ms, written by the script once the fault is over) starts the catch-up
// clock. A request answered 503, or not answered, is sent again after Retry-After (1 s without) with a new name; any
// other answer ends its command.
// Then: every 2xx request must be in the load balancer's history exactly once and on elb.events (deliveries of the same
// sequence again are at-least-once redelivery; a second sequence would be a duplicate), and every node converged.
// Prints one JSON object (the figures) on stdout.
// Usage: ELB_CREDENTIALS=<credentials.json> Elb.Bench.Faults <gateway-url> <amqp-host:port> <phase> <workdir> <node-admin-url>...
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: ELB_CREDENTIALS=... Elb.Bench.Faults <gateway-url> <amqp-host:port> <phase> <workdir> <node-admin-url>...");
    return 2;
}
var gatewayUrl = new Uri(args[0].TrimEnd('/') + "/");
var (amqpHost, amqpPort) = (args[1].Split(':')[0], int.Parse(args[1].Split(':')[1]));
var phase = args[2];
var workdir = args[3];
var nodeUrls = args[4..];
var rate = double.Parse(Environment.GetEnvironmentVariable("FAULTS_RATE") ?? "10", System.Globalization.CultureInfo.InvariantCulture);
var loadBalancerCount = int.Parse(Environment.GetEnvironmentVariable("FAULTS_LOADBALANCERS") ?? "4");
// A client of its own resources: at most this many requests at once (more wait their turn), so that an overloaded
// gateway is not buried under its own retries.
var inFlight = new SemaphoreSlim(int.Parse(Environment.GetEnvironmentVariable("FAULTS_IN_FLIGHT") ?? "16"));
var credentials = JsonDocument.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("ELB_CREDENTIALS")
    ?? throw new InvalidOperationException("ELB_CREDENTIALS is not set"))).RootElement;
const string Project = "my-project";
var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
void Log(string message) => Console.Error.WriteLine($"[faults {phase} {DateTimeOffset.UtcNow:HH:mm:ss.fff}] {message}");

HttpClient Signed(JsonElement user) => new(new SdkSigningHandler(user.GetProperty("access_key").GetString()!,
    user.GetProperty("secret_key").GetString()!, TimeProvider.System)
{
    InnerHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionLifetime = TimeSpan.FromSeconds(30) },
})
{ BaseAddress = gatewayUrl, Timeout = TimeSpan.FromSeconds(15) };
using var gateway = Signed(credentials.GetProperty("projects").GetProperty(Project));
using var admin = Signed(credentials.GetProperty("system_admin"));

// Setup calls are retried: the gateway may be starting.
async Task<JsonNode> Call(HttpClient client, HttpMethod method, string path, object? body = null, params HttpStatusCode[] alsoFine)
{
    for (var attempt = 0; ; attempt++)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, json), Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode || alsoFine.Contains(response.StatusCode))
            {
                return (text.Length > 0 ? JsonNode.Parse(text) : null) ?? new JsonObject();
            }
            if ((int)response.StatusCode < 500 || attempt >= 30) throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
        catch (Exception e) when (e is HttpRequestException { StatusCode: null } or TaskCanceledException && attempt < 30)
        {
        }
        await Task.Delay(1000);
    }
}

string systemToken;
{
    using var issued = await admin.PostAsync("v3/auth/tokens", new StringContent("""{"auth": {}}""", Encoding.UTF8, "application/json"));
    issued.EnsureSuccessStatusCode();
    systemToken = issued.Headers.GetValues("X-Subject-Token").Single();
}
var nodes = nodeUrls.Select(url => new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(5) }).ToArray();
foreach (var node in nodes) node.DefaultRequestHeaders.Add("X-Auth-Token", systemToken);
admin.DefaultRequestHeaders.Add("X-Auth-Token", systemToken);

await Call(gateway, HttpMethod.Post, $"v3/{Project}/inventory/subnets",
    new { Subnet = new { Id = "faults-subnet", VpcId = "vpc-faults", Cidr = "10.0.0.0/24", AvailabilityZone = "az-1" } },
    HttpStatusCode.Conflict);
var pools = new List<(Guid LoadBalancer, Guid Pool)>();
for (var k = 0; k < loadBalancerCount; k++)
{
    var lb = await Call(gateway, HttpMethod.Post, $"v3/{Project}/elb/loadbalancers", new
    {
        Loadbalancer = new
        {
            Name = $"faults-{phase}-{k}", VpcId = "vpc-faults", VipSubnetCidrId = "faults-subnet",
            AvailabilityZoneList = new[] { "az-1" }, IpTargetEnable = true,
        },
    });
    var lbId = Guid.Parse(lb["loadbalancer"]!["id"]!.GetValue<string>());
    var pool = await Call(gateway, HttpMethod.Post, $"v3/{Project}/elb/pools",
        new { Pool = new { LoadbalancerId = lbId, Protocol = "HTTP", LbAlgorithm = "ROUND_ROBIN" } });
    pools.Add((lbId, Guid.Parse(pool["pool"]!["id"]!.GetValue<string>())));
}
var ours = pools.Select(p => p.LoadBalancer).ToHashSet();

// The subscriber: RabbitMQ credentials from the API, a durable queue of its own bound to this phase's load balancers.
var subscriber = await Call(gateway, HttpMethod.Post, $"v3/{Project}/elb/subscribers");
var subscriberUser = subscriber["subscriber"]!["user"]!.GetValue<string>();
var queue = $"{subscriber["subscriber"]!["queue_prefix"]!.GetValue<string>()}faults-{phase}-{Guid.NewGuid():N}";
var factory = new ConnectionFactory
{
    HostName = amqpHost, Port = amqpPort, UserName = subscriberUser,
    Password = subscriber["subscriber"]!["password"]!.GetValue<string>(),
    VirtualHost = subscriber["subscriber"]!["vhost"]!.GetValue<string>(),
    AutomaticRecoveryEnabled = true, TopologyRecoveryEnabled = true, NetworkRecoveryInterval = TimeSpan.FromSeconds(1),
    ClientProvidedName = $"elb-bench-faults-{phase}",
};
var delivered = new ConcurrentDictionary<string, ConcurrentDictionary<long, int>>(); // name -> sequence -> deliveries
var deliveredSequences = new ConcurrentDictionary<long, int>();
var redeliveredFlagged = 0;
var connection = await factory.CreateConnectionAsync();
var channel = await connection.CreateChannelAsync();
await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
foreach (var lb in ours) await channel.QueueBindAsync(queue, "elb.events", $"{Project}.{lb}.#");
var consumer = new AsyncEventingBasicConsumer(channel);
consumer.ReceivedAsync += async (_, delivery) =>
{
    var cloudEvent = JsonNode.Parse(Encoding.UTF8.GetString(delivery.Body.Span))!;
    var sequence = cloudEvent["sequence"]!.GetValue<long>();
    deliveredSequences.AddOrUpdate(sequence, 1, (_, n) => n + 1);
    if (delivery.Redelivered) Interlocked.Increment(ref redeliveredFlagged);
    if (cloudEvent["data"]?["name"]?.GetValue<string>() is { } name)
    {
        delivered.GetOrAdd(name, _ => new()).AddOrUpdate(sequence, 1, (_, n) => n + 1);
    }
    await channel.BasicAckAsync(delivery.DeliveryTag, false);
};
await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

// A few members per pool to change.
var members = pools.ToDictionary(p => p.LoadBalancer, _ => new List<Guid>());
var addresses = 0;
string NextAddress() { var i = Interlocked.Increment(ref addresses); return $"10.{i / 62_500 % 250}.{i / 250 % 250}.{i % 250 + 1}"; }
foreach (var (lb, pool) in pools)
{
    for (var s = 0; s < 3; s++)
    {
        var member = await Call(gateway, HttpMethod.Post, $"v3/{Project}/elb/pools/{pool}/members",
            new { Member = new { Name = $"seed-{phase}-{s}", Address = NextAddress(), ProtocolPort = 80 } });
        members[lb].Add(Guid.Parse(member["member"]!["id"]!.GetValue<string>()));
    }
}

var attempts = new ConcurrentQueue<Attempt>();
var stopFile = Path.Combine(workdir, "stop");
var healedFile = Path.Combine(workdir, "healed");
var stopping = new CancellationTokenSource();
long? healedAt = null;
double? caughtUpSeconds = null;
var random = new Random(42);
long stopAt = long.MaxValue;
File.WriteAllText(Path.Combine(workdir, "ready"), Now().ToString());
Log($"ready: {loadBalancerCount} load balancers, subscriber queue {queue}, {rate} commands/s");

// After the fault: when every node holds everything the control plane held once it answered again.
var catchUp = Task.Run(async () =>
{
    long healed;
    while (!File.Exists(healedFile) || !long.TryParse(File.ReadAllText(healedFile).Trim(), out healed)) await Task.Delay(50);
    healedAt = healed;
    var deadline = healedAt + 180_000;
    Dictionary<Guid, long>? target = null;
    while (Now() < deadline)
    {
        try
        {
            target ??= (await ControlPlane()).Where(e => ours.Contains(e.Key)).ToDictionary();
            var caughtUp = true;
            foreach (var node in nodes)
            {
                var applied = await NodeVersions(node);
                caughtUp &= target.All(t => applied.GetValueOrDefault(t.Key).Version >= t.Value);
            }
            if (caughtUp)
            {
                caughtUpSeconds = (Now() - healedAt.Value) / 1000.0;
                Log($"every node caught up {caughtUpSeconds:F1} s after the fault ended");
                return;
            }
        }
        catch (Exception e)
        {
            if (e is not (HttpRequestException or TaskCanceledException)) Log($"catching up: {e.Message}");
        }
        await Task.Delay(100);
    }
});

async Task<Dictionary<Guid, long>> ControlPlane()
{
    var status = JsonNode.Parse(await admin.GetStringAsync("v3/dataplane/nodes"))!;
    return status["control_plane"]!.AsArray().ToDictionary(e => Guid.Parse(e!["loadbalancer_id"]!.GetValue<string>()),
        e => e!["version"]!.GetValue<long>());
}

async Task<Dictionary<Guid, (long Version, string Digest)>> NodeVersions(HttpClient node)
{
    var routing = JsonNode.Parse(await node.GetStringAsync("routing"))!;
    return routing["loadbalancers"]!.AsArray().ToDictionary(e => Guid.Parse(e!["id"]!.GetValue<string>()),
        e => (e!["version"]!.GetValue<long>(), e["digest"]!.GetValue<string>()));
}

async Task RunCommand(int number)
{
    var (lb, pool) = pools[number % pools.Count];
    Guid member;
    bool add;
    lock (members)
    {
        add = number % 2 == 0 && members[lb].Count < 400;
        member = add ? Guid.Empty : members[lb][random.Next(members[lb].Count)];
    }
    var address = add ? NextAddress() : null;
    for (var attempt = 0; ; attempt++)
    {
        var tag = $"{phase}-{number}.{attempt}";
        using var request = add
            ? new HttpRequestMessage(HttpMethod.Post, $"v3/{Project}/elb/pools/{pool}/members")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { Member = new { Name = tag, Address = address, ProtocolPort = 80 } }, json),
                    Encoding.UTF8, "application/json"),
            }
            : new HttpRequestMessage(HttpMethod.Put, $"v3/{Project}/elb/pools/{pool}/members/{member}")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { Member = new { Name = tag, Weight = number % 100 + 1 } }, json),
                    Encoding.UTF8, "application/json"),
            };
        await inFlight.WaitAsync();
        var sent = Now();
        var clock = Stopwatch.StartNew();
        int status;
        string? code = null, error = null;
        TimeSpan retryAfter = TimeSpan.FromSeconds(1);
        try
        {
            using var response = await gateway.SendAsync(request);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                if (add)
                {
                    var id = Guid.Parse(JsonNode.Parse(text)!["member"]!["id"]!.GetValue<string>());
                    lock (members) members[lb].Add(id);
                }
            }
            else
            {
                try { code = JsonNode.Parse(text)?["error_code"]?.GetValue<string>(); } catch (JsonException) { }
                if (response.Headers.RetryAfter?.Delta is { } delta) retryAfter = delta;
            }
        }
        catch (TaskCanceledException)
        {
            status = 0;
            error = "timeout";
        }
        catch (HttpRequestException e)
        {
            status = 0;
            error = e.HttpRequestError.ToString();
        }
        finally
        {
            inFlight.Release();
        }
        attempts.Enqueue(new Attempt(number, attempt, tag, add ? "add" : "update", lb, sent, sent + clock.ElapsedMilliseconds, status, code, error));
        var retry = status is 0 or 503;
        if (!retry || (stopping.IsCancellationRequested && Now() > stopAt + 60_000)) return;
        // Retry-After (1 s without), doubled for every further failure up to 8 s
        var delay = (retryAfter < TimeSpan.FromMilliseconds(200) ? TimeSpan.FromMilliseconds(200) : retryAfter) * (1 << Math.Min(attempt, 3));
        await Task.Delay(delay > TimeSpan.FromSeconds(8) ? TimeSpan.FromSeconds(8) : delay);
    }
}

var commands = new List<Task>();
var interval = TimeSpan.FromSeconds(1 / rate);
var started = Stopwatch.StartNew();
var number = 0;
while (!File.Exists(stopFile))
{
    commands.Add(RunCommand(number++));
    var next = interval * number;
    if (next > started.Elapsed) await Task.Delay(next - started.Elapsed);
}
stopAt = Now();
stopping.Cancel();
Log($"stopped sending after {number} commands; waiting for the ones still retrying");
await Task.WhenAll(commands);
var lastAnswer = attempts.Max(a => a.AnsweredAt);
await catchUp;

// From the last answer: until the gateway reports both nodes ONLINE and converged (from their heartbeats).
JsonNode? lastStatus = null;
var convergence = Task.Run(async () =>
{
    for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(250))
    {
        try
        {
            lastStatus = JsonNode.Parse(await admin.GetStringAsync("v3/dataplane/nodes"))!;
            var converged = lastStatus["nodes"]!.AsArray()
                .Count(n => n!["status"]!.GetValue<string>() == "ONLINE" && n["converged"]!.GetValue<bool>());
            if (converged >= nodes.Length) return (Now() - lastAnswer) / 1000.0;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
    }
    return (double?)null;
});

// Checks. The history first (the truth), then the events, then the nodes.
var succeeded = attempts.Where(a => a.Status is >= 200 and < 300).ToList();
Dictionary<string, int> history = [];
var historyNames = new Dictionary<string, List<long>>();
for (var wait = Stopwatch.StartNew(); ;)
{
    historyNames = [];
    foreach (var lb in ours)
    {
        long? from = 1;
        while (from is { } fromVersion)
        {
            var page = await Call(gateway, HttpMethod.Get, $"v3/{Project}/elb/loadbalancers/{lb}/history?from_version={fromVersion}&limit=1000");
            foreach (var e in page["events"]!.AsArray())
            {
                if (e!["data"]?["name"]?.GetValue<string>() is { } name && e["data"]?["member_id"] is not null
                    && e["type"]!.GetValue<string>() is "BackendServerAdded" or "BackendServerUpdated")
                {
                    (historyNames.TryGetValue(name, out var sequences) ? sequences : historyNames[name] = []).Add(e["sequence"]!.GetValue<long>());
                }
            }
            from = page["page_info"]?["next_from_version"]?.GetValue<long?>();
        }
    }
    if (succeeded.All(a => historyNames.ContainsKey(a.Tag)) || wait.Elapsed > TimeSpan.FromSeconds(30)) break;
    await Task.Delay(1000);
}
// Every event the history holds for a request of this run (2xx or not) must reach elb.events.
var committed = historyNames.Where(h => !h.Key.StartsWith("seed-", StringComparison.Ordinal)).ToList();
for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(500))
{
    if (committed.All(h => h.Value.All(s => deliveredSequences.ContainsKey(s)))) break;
}
var eventsWaited = (Now() - lastAnswer) / 1000.0;

var convergedSeconds = await convergence;
// The nodes' own tables against the control plane's, digest by digest (not only their last heartbeats).
var controlPlaneDigests = JsonNode.Parse(await admin.GetStringAsync("v3/dataplane/nodes"))!["control_plane"]!.AsArray()
    .ToDictionary(e => Guid.Parse(e!["loadbalancer_id"]!.GetValue<string>()), e => e!["digest"]!.GetValue<string>());
var digestsEqual = true;
foreach (var node in nodes)
{
    var applied = await NodeVersions(node);
    digestsEqual &= controlPlaneDigests.Count == applied.Count && controlPlaneDigests.All(c => applied.GetValueOrDefault(c.Key).Digest == c.Value);
}
using var health = await new HttpClient { BaseAddress = gatewayUrl }.GetAsync("health");
var healthChecks = JsonNode.Parse(await health.Content.ReadAsStringAsync())?["checks"]?.AsObject()
    .Where(c => c.Value?["status"]?.GetValue<string>() != "Healthy").Select(c => $"{c.Key}: {c.Value?["error"]}").ToList();

await channel.QueueDeleteAsync(queue);
await channel.CloseAsync();
await connection.CloseAsync();
await Call(gateway, HttpMethod.Delete, $"v3/{Project}/elb/subscribers/{subscriberUser}");

var list = attempts.ToList();
var failedAnswers = list.Where(a => a.Status is >= 300 or 0).ToList();
var outcome = new
{
    phase,
    commands = number,
    requests = list.Count,
    answered_2xx = succeeded.Count,
    answered_503 = list.Count(a => a.Status == 503),
    codes_503 = list.Where(a => a.Status == 503).GroupBy(a => a.Code ?? "(none)").ToDictionary(g => g.Key, g => g.Count()),
    other_status = list.Where(a => a.Status is not (0 or 503) and (< 200 or >= 300)).GroupBy(a => $"{a.Status} {a.Code}").ToDictionary(g => g.Key, g => g.Count()),
    no_answer = list.Where(a => a.Status == 0).GroupBy(a => a.Error!).ToDictionary(g => g.Key, g => g.Count()),
    commands_failed_then_succeeded = list.GroupBy(a => a.Command).Count(g => g.Any(a => a.Status is 503 or 0) && g.Any(a => a.Status is >= 200 and < 300)),
    commands_never_succeeded = list.GroupBy(a => a.Command).Count(g => !g.Any(a => a.Status is >= 200 and < 300)),
    lost_history = succeeded.Count(a => !historyNames.ContainsKey(a.Tag)),
    duplicated_history = succeeded.Count(a => historyNames.TryGetValue(a.Tag, out var s) && s.Count > 1),
    lost_events = succeeded.Count(a => !delivered.ContainsKey(a.Tag)),
    duplicated_events = succeeded.Count(a => delivered.TryGetValue(a.Tag, out var s) && s.Count > 1),
    committed_without_2xx = failedAnswers.Count(a => historyNames.ContainsKey(a.Tag)),
    committed_with_503 = failedAnswers.Count(a => a.Status == 503 && historyNames.ContainsKey(a.Tag)),
    history_events_missing_on_exchange = committed.Sum(h => h.Value.Count(s => !deliveredSequences.ContainsKey(s))),
    redeliveries = deliveredSequences.Values.Sum(n => n - 1),
    redelivered_flagged = redeliveredFlagged,
    first_failure_s = failedAnswers.Count > 0 && healedAt is { } h0 ? (failedAnswers.Min(a => a.AnsweredAt) - h0) / 1000.0 : (double?)null,
    failures_window_s = failedAnswers.Count > 0 ? (failedAnswers.Max(a => a.AnsweredAt) - failedAnswers.Min(a => a.SentAt)) / 1000.0 : 0,
    first_2xx_after_heal_s = healedAt is { } h && succeeded.Where(a => a.SentAt >= h).ToList() is { Count: > 0 } after
        ? (after.Min(a => a.AnsweredAt) - h) / 1000.0 : (double?)null,
    caught_up_after_heal_s = caughtUpSeconds,
    converged_after_last_answer_s = convergedSeconds,
    nodes_converged = convergedSeconds is not null,
    node_digests_equal = digestsEqual,
    events_checked_after_last_answer_s = eventsWaited,
    max_latency_ms = list.Max(a => a.AnsweredAt - a.SentAt),
    gateway_health = (int)health.StatusCode,
    gateway_health_failing = healthChecks,
    missing_on_exchange = committed.SelectMany(h => h.Value.Where(q => !deliveredSequences.ContainsKey(q)).Select(q => $"{h.Key} #{q}")).Take(10),
    node_status = lastStatus?["nodes"]?.AsArray().Select(n => new { id = n!["id"]!.GetValue<string>(), status = n["status"]!.GetValue<string>(), converged = n["converged"]!.GetValue<bool>() }),
};
File.WriteAllText(Path.Combine(workdir, "attempts.json"), JsonSerializer.Serialize(list, json));
Console.WriteLine(JsonSerializer.Serialize(outcome));
return 0;

internal sealed record Attempt(int Command, int Try, string Tag, string Op, Guid LoadBalancer, long SentAt, long AnsweredAt,
    int Status, string? Code, string? Error);
