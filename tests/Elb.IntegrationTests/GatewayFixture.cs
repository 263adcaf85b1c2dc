using Alba;
using Elb.DataPlane.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;

namespace Elb.IntegrationTests;

/// <summary>One gateway for the whole run, on a schema of its own that is dropped first so every run starts empty.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    /// <summary><c>ELB_TEST_SCHEMA</c> lets two checkouts test at once on one PostgreSQL (with their own <c>ELB_RABBITMQ_VHOST</c>).</summary>
    public static readonly string Schema = Environment.GetEnvironmentVariable("ELB_TEST_SCHEMA") is { Length: > 0 } schema
        ? schema : "elb_tests";

    public IAlbaHost Gateway { get; private set; } = null!;
    public ElbServices Services { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = await ElbServices.GetAsync();
        await using (var connection = new NpgsqlConnection(Services.Postgres))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection).ExecuteNonQueryAsync();
        }

        Gateway = await AlbaHost.For<Elb.Gateway.Program>(builder => builder
            .UseSetting("ELB_POSTGRES", Services.Postgres)
            .UseSetting("ELB_RABBITMQ", Services.RabbitMq)
            .UseSetting("ELB_RABBITMQ_MANAGEMENT", Services.RabbitMqManagement)
            .UseSetting("Elb:Schema", Schema)
            .WithGatewaySettings());
    }

    /// <summary>Another gateway on the same store, with settings of its own (<paramref name="configure"/> runs last).</summary>
    public Task<IAlbaHost> StartGatewayAsync(Action<IWebHostBuilder> configure) =>
        AlbaHost.For<Elb.Gateway.Program>(builder => Configured(builder
            .UseSetting("ELB_POSTGRES", Services.Postgres)
            .UseSetting("ELB_RABBITMQ", Services.RabbitMq)
            .UseSetting("ELB_RABBITMQ_MANAGEMENT", Services.RabbitMqManagement)
            .UseSetting("Elb:Schema", Schema)
            .WithGatewaySettings(), configure));

    /// <summary>Every event in the store: a refusal must leave this unchanged.</summary>
    public async Task<long> CountEventsAsync()
    {
        await using var session = Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    private string? _systemAdminToken;

    /// <summary>A token of the system admin, from <c>POST /v3/auth/tokens</c> signed with its access key: what a node's admin API asks for.</summary>
    public async Task<string> SystemAdminTokenAsync()
    {
        if (_systemAdminToken is null)
        {
            using var client = TestIdentity.SignedClient(Gateway, TestIdentity.SystemAdmin.AccessKey, TestIdentity.SystemAdmin.SecretKey);
            using var response = await client.PostAsync("/v3/auth/tokens",
                new StringContent("""{"auth": {}}""", System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            _systemAdminToken = response.Headers.GetValues("X-Subject-Token").Single();
        }
        return _systemAdminToken;
    }

    /// <summary>A data-plane node inside the test, reading snapshots from this gateway, with a queue of its own.</summary>
    /// <param name="vipMap">The node's VIP map; a new one of its own unless given (a restarted node keeps its map).</param>
    public async Task<DataPlaneNode> StartDataPlaneAsync(string nodeId, Action<IWebHostBuilder>? configure = null,
        string? vipMap = null)
    {
        vipMap ??= NextVipMap();
        var host = await AlbaHost.For<Elb.DataPlane.Program>(builder => WithNodeIdentity(configure is null ? builder : Configured(builder, configure))
            .UseSetting("DataPlane:VipMap", vipMap)
            .UseSetting("ELB_RABBITMQ_DATAPLANE", Services.RabbitMqDataPlane)
            .UseSetting("DataPlane:NodeId", nodeId)
            .UseSetting("DataPlane:HeartbeatSeconds", "1")
            .ConfigureServices(services => services.AddHttpClient(ControlPlaneClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => Gateway.Server.CreateHandler())));
        return new DataPlaneNode(host, nodeId, Services.RabbitMqAdmin, vipMap, await SystemAdminTokenAsync());
    }

    private static IWebHostBuilder WithNodeIdentity(IWebHostBuilder builder)
    {
        foreach (var (key, value) in TestIdentity.NodeSettings) builder.UseSetting(key, value);
        return builder;
    }

    private static IWebHostBuilder Configured(IWebHostBuilder builder, Action<IWebHostBuilder> configure)
    {
        configure(builder);
        return builder;
    }

    private static int _lastVipBlock = 9;

    /// <summary>
    /// Each node serves the tests' VIPs (subnets in <see cref="ElbApi.VipNetwork"/>) on loopback addresses of its own, as
    /// a second node on one machine would: 10.0.x.y on 127.N.x.y.
    /// </summary>
    public static string NextVipMap() => $"{ElbApi.VipNetwork}=127.{Interlocked.Increment(ref _lastVipBlock) % 240 + 10}.0.0/16";

    private WebApplicationFactory<Elb.Gateway.Program>? _listeningGateway;

    /// <summary>
    /// The same gateway on a real loopback port, for nodes running as separate processes (the Alba host has no
    /// socket). It shares the schema, so it serves the same state.
    /// </summary>
    public Uri ListeningGatewayUrl()
    {
        if (_listeningGateway is null)
        {
            _listeningGateway = new WebApplicationFactory<Elb.Gateway.Program>().WithWebHostBuilder(builder => builder
                .UseSetting("ELB_POSTGRES", Services.Postgres)
                .UseSetting("ELB_RABBITMQ", Services.RabbitMq)
                .UseSetting("ELB_RABBITMQ_MANAGEMENT", Services.RabbitMqManagement)
                .UseSetting("Elb:Schema", Schema)
                .UseSetting("Urls", "http://127.0.0.1:0")
                .WithGatewaySettings());
            _listeningGateway.UseKestrel(0);
            _listeningGateway.StartServer();
        }
        var addresses = _listeningGateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        if (_listeningGateway is not null) await _listeningGateway.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}

public sealed class DataPlaneNode(IAlbaHost host, string nodeId, string rabbitMqAdmin, string vipMap, string adminToken) : IAsyncDisposable
{
    public string VipMap => vipMap;

    /// <summary>Where this node serves a load balancer's listeners: its VIP, as the node's map puts it on loopback.</summary>
    public string AddressOf(string vip) =>
        Elb.Commands.LoadBalancers.VipMap.Parse([vipMap]).LocalAddress(System.Net.IPAddress.Parse(vip))!.ToString();

    public IAlbaHost Host => host;

    public string NodeId => nodeId;

    /// <summary>The node's admin API, with a system admin's token as it requires.</summary>
    public HttpClient Admin()
    {
        var client = host.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", adminToken);
        return client;
    }

    /// <summary>Polls the node's <c>/routing/{pool_id}</c> until it satisfies <paramref name="condition"/>.</summary>
    public async Task<string> WaitForPoolAsync(Guid poolId, Func<string, bool> condition, TimeSpan within)
    {
        using var client = Admin();
        var deadline = DateTime.UtcNow + within;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync($"/routing/{poolId}");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && condition(last)) return last;
            await Task.Delay(20);
        }
        throw new TimeoutException($"Node {nodeId} did not show the expected pool {poolId} within {within}; last answer: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        await Broker.DeleteNodeQueueAsync(rabbitMqAdmin, nodeId);
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>
/// Direct access to RabbitMQ, to do to a node's queue what an operator or an outage would: pass the administrator
/// (<see cref="ElbServices.RabbitMqAdmin"/>), as neither the gateway's nor the nodes' user may delete others' queues.
/// </summary>
public static class Broker
{
    public static string NodeQueue(string nodeId) => $"elb.dataplane.{nodeId}";

    public static Task DeleteNodeQueueAsync(string rabbitMq, string nodeId) =>
        WithChannel(rabbitMq, channel => channel.QueueDeleteAsync(NodeQueue(nodeId)));

    public static Task PurgeNodeQueueAsync(string rabbitMq, string nodeId) =>
        WithChannel(rabbitMq, channel => channel.QueuePurgeAsync(NodeQueue(nodeId)));

    private static async Task WithChannel(string rabbitMq, Func<IChannel, Task> action)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq) }.CreateConnectionAsync();
        await using (connection)
        await using (var channel = await connection.CreateChannelAsync())
        {
            await action(channel);
        }
    }
}
