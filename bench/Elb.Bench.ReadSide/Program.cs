using Elb.Signing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Marten;
using Npgsql;

// seed <postgres> <schema>: writes 200k+ events of 205 load balancers (100k+ members) and one 10,000-event stream,
//   through Elb's own store definition (inline read models included), and prints the long stream's id.
// measure <gateway-url> <postgres> <schema> <long-stream-id>: times history pages and member lookups over HTTP and
//   prints the lookup's query plan; prints markdown table rows.
const string Project = "bench";
var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

return args switch
{
    ["seed", var postgres, var schema] => await Seed(postgres, schema),
    ["measure", var gateway, var postgres, var schema, var stream] => await Measure(new Uri(gateway), postgres, schema, Guid.Parse(stream)),
    _ => Usage(),
};

int Usage()
{
    Console.Error.WriteLine("usage: seed <postgres> <schema> | measure <gateway-url> <postgres> <schema> <stream-id>");
    return 2;
}

async Task<int> Seed(string postgres, string schema)
{
    await Sql(postgres, $"drop schema if exists {schema} cascade");
    await using var store = DocumentStore.For(options => options.ConfigureElbStore(postgres, schema));
    await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    var written = 0L;
    for (var lb = 0; lb < 205; lb++) written += await SeedLoadBalancer(store, lb, members: 490, weightChanges: 490);
    var longStream = Guid.CreateVersion7();
    written += await SeedLoadBalancer(store, 250, members: 100, weightChanges: 9_898, id: longStream);
    // Seeded history counts as published already, so a gateway started on it is not busy republishing it.
    await Sql(postgres, $"""
        insert into {schema}.mt_event_progression (name, last_seq_id)
        values ('elb_events_relay:All', (select max(seq_id) from {schema}.mt_events))
        on conflict (name) do update set last_seq_id = excluded.last_seq_id
        """);
    Console.Error.WriteLine($"seeded {written:N0} events");
    Console.WriteLine(longStream);
    return 0;
}

async Task<long> SeedLoadBalancer(IDocumentStore store, int n, int members, int weightChanges, Guid? id = null)
{
    var lbId = id ?? Guid.CreateVersion7();
    var poolId = Guid.CreateVersion7();
    var memberIds = Enumerable.Range(0, members).Select(_ => Guid.CreateVersion7()).ToArray();
    var events = new List<ILoadBalancerEvent>
    {
        new LoadBalancerCreated(lbId, Project, $"lb-{n}", "", "vpc-bench", null, ["az-1", "az-2"], true, true, at),
        new BackendServerGroupCreated(poolId, Project, lbId, null, "pool", "", Protocol.Http, LbAlgorithm.RoundRobin, "", null,
            SlowStartSettings.Disabled, false, at),
    };
    events.AddRange(memberIds.Select((m, i) => new BackendServerAdded(m, poolId, Project, lbId, "", $"10.{n % 250}.{i / 250}.{i % 250 + 1}",
        80, 1, "ip", null, null, i % 2 == 0 ? "az-1" : "az-2", null, MemberOperatingStatus.NoMonitor, false, at)));
    events.AddRange(Enumerable.Range(0, weightChanges).Select(i =>
        new BackendServerUpdated(memberIds[i % members], poolId, Project, lbId, "", 1 + i % 100, at.AddSeconds(i))));
    await using var session = store.LightweightSession();
    session.Events.StartStream<LoadBalancer>(lbId, events);
    await session.SaveChangesAsync();
    return events.Count;
}

async Task<int> Measure(Uri gateway, string postgres, string schema, Guid stream)
{
    // signed as a viewer of the project, with the key readside.sh configured the gateway to make
    using var http = new HttpClient(new SdkSigningHandler(Environment.GetEnvironmentVariable("ELB_ACCESS_KEY")!,
        Environment.GetEnvironmentVariable("ELB_SECRET_KEY")!, TimeProvider.System) { InnerHandler = new HttpClientHandler() })
    {
        BaseAddress = gateway,
    };
    var history = await Time(100, async i => await http.GetFromJsonAsync<JsonElement>(
        $"v3/{Project}/elb/loadbalancers/{stream}/history?from_version={1 + i * 99}&limit=100"));
    var lookup = await Time(100, async i => await http.GetFromJsonAsync<JsonElement>(
        $"v3/{Project}/elb/members?address=10.{i % 200}.1.{i % 250 + 1}"));
    Console.WriteLine($"| history page (100 events) of a 10,000-event stream, 100 pages across it | {history.Median:F1} | {history.P99:F1} |");
    Console.WriteLine($"| member lookup by address among 100,450 members | {lookup.Median:F1} | {lookup.P99:F1} |");

    await using var store = DocumentStore.For(options => options.ConfigureElbStore(postgres, schema));
    await using var session = store.QuerySession();
    var command = session.Query<ResourceLocation>()
        .Where(l => l.Kind == ResourceKind.Member && l.ProjectId == Project && l.Address == "10.7.1.8").ToCommand();
    await using var connection = new NpgsqlConnection(postgres);
    await connection.OpenAsync();
    await using var explain = new NpgsqlCommand("explain analyze " + command.CommandText, connection);
    foreach (NpgsqlParameter parameter in command.Parameters) explain.Parameters.Add(parameter.Clone());
    await using var reader = await explain.ExecuteReaderAsync();
    Console.WriteLine("PLAN");
    while (await reader.ReadAsync()) Console.WriteLine(reader.GetString(0));
    return 0;
}

static async Task Sql(string postgres, string sql)
{
    await using var connection = new NpgsqlConnection(postgres);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task<(double Median, double P99)> Time(int count, Func<int, Task> request)
{
    await request(0);
    var samples = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await request(i);
        samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    samples.Sort();
    return (samples[count / 2], samples[(int)Math.Ceiling(count * 0.99) - 1]);
}
