using System.Text;
using System.Text.Json;
using Elb.Commands;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using RabbitMQ.Client;
using Wolverine.Util;

namespace Elb.IntegrationTests;

/// <summary>
/// RabbitMQ itself, not Elb, refuses what a role's user may not do: the users and permissions are those
/// <c>scripts/broker-setup.py</c> gives the broker, and a subscriber's those the gateway gives it through the
/// management API. Every refusal is a real ACCESS_REFUSED from the broker.
/// </summary>
[Collection(GatewayCollection.Name)]
public class BrokerPermissionTests(GatewayFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);
    private readonly List<string> _queues = [];
    private readonly List<string> _exchanges = [];
    private SubscriberUser _subscriber = null!;

    private ElbServices Services => fixture.Services;

    public async Task InitializeAsync() => _subscriber = await SubscriberUser.CreateAsync(_api, Services);

    public async Task DisposeAsync()
    {
        await Amqp.TryAsync(Services.RabbitMqAdmin, async channel =>
        {
            foreach (var queue in _queues) await channel.QueueDeleteAsync(queue);
            foreach (var exchange in _exchanges) await channel.ExchangeDeleteAsync(exchange);
        });
        await _subscriber.DeleteAsync();
    }

    private string SubscriberUri => _subscriber.Uri.ToString();

    private string SubscriberQueue()
    {
        var queue = _subscriber.Queue();
        _queues.Add(queue);
        return queue;
    }

    [Fact]
    public async Task A_subscriber_binds_its_own_projects_keys_and_is_refused_any_other()
    {
        var queue = SubscriberQueue();
        Assert.Null(await Amqp.TryAsync(SubscriberUri, async channel =>
        {
            await channel.ExchangeDeclarePassiveAsync(ElbExchanges.PublicEvents);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, ElbExchanges.PublicEvents, $"{_api.Project}.#");
            await channel.QueueBindAsync(queue, ElbExchanges.PublicEvents, $"{_api.Project}.*.elb.member.added.v1");
        }));

        foreach (var key in new[] { "other-project.#", "#", "*.#", "*.*.elb.member.added.v1", $"{_api.Project}x.#" })
        {
            Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
                channel => channel.QueueBindAsync(queue, ElbExchanges.PublicEvents, key)));
        }

        // nor through an exchange of its own bound to elb.events
        var exchange = $"{_subscriber.QueuePrefix}exchange";
        _exchanges.Add(exchange);
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri, async channel =>
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout);
            await channel.ExchangeBindAsync(exchange, ElbExchanges.PublicEvents, "#");
        }));
    }

    [Fact]
    public async Task A_subscriber_may_declare_and_read_only_its_own_queues()
    {
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
            channel => channel.QueueDeclareAsync("elb.subscriber.other-project.q", durable: true, exclusive: false, autoDelete: false)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
            channel => channel.QueueDeclareAsync($"{_api.Project}.q", durable: true, exclusive: false, autoDelete: false)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
            channel => channel.BasicGetAsync(DataPlaneHeartbeat.Queue, autoAck: false)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
            channel => channel.ExchangeDeclareAsync(ElbExchanges.PublicEvents, ExchangeType.Topic, durable: true)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
            channel => channel.ExchangeDeleteAsync(ElbExchanges.PublicEvents)));
    }

    [Fact]
    public async Task A_subscriber_cannot_publish_to_elb_exchanges_nor_to_the_default_exchange()
    {
        var change = Encoding.UTF8.GetBytes("{}");
        foreach (var (exchange, key) in new[]
                 {
                     (ElbExchanges.InternalChanges, $"{Guid.NewGuid()}.BackendServerAdded"),
                     (ElbExchanges.HealthReports, ""),
                     (ElbExchanges.Heartbeats, ""),
                     (ElbExchanges.PublicEvents, $"{_api.Project}.{Guid.NewGuid()}.elb.member.added.v1"),
                     ("", MemberHealthObserved.Queue),
                 })
        {
            Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(SubscriberUri,
                channel => Amqp.PublishAsync(channel, exchange, key, change).AsTask()));
        }
    }

    [Fact]
    public async Task A_node_cannot_publish_a_change_nor_put_one_into_a_node_queue_through_the_default_exchange()
    {
        var victim = Broker.NodeQueue($"victim-{Guid.NewGuid():N}");
        _queues.Add(victim);
        await Amqp.TryAsync(Services.RabbitMqAdmin, channel => channel.QueueDeclareAsync(victim, durable: true, exclusive: false, autoDelete: false));
        var loadBalancerId = Guid.NewGuid();
        var change = JsonSerializer.SerializeToUtf8Bytes(new LoadBalancerChange(Guid.NewGuid(), loadBalancerId, 1,
            nameof(LoadBalancerDeleted), DateTimeOffset.UtcNow, new LoadBalancerDeleted(loadBalancerId, "p", DateTimeOffset.UtcNow)),
            ElbJson.Options);
        var asWolverine = new BasicProperties { Type = typeof(LoadBalancerChange).ToMessageTypeName(), ContentType = "application/json" };

        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(Services.RabbitMqDataPlane,
            channel => Amqp.PublishAsync(channel, ElbExchanges.InternalChanges, $"{loadBalancerId}.{nameof(LoadBalancerDeleted)}",
                change, asWolverine).AsTask()));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(Services.RabbitMqDataPlane,
            channel => Amqp.PublishAsync(channel, "", victim, change, asWolverine).AsTask()));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(Services.RabbitMqDataPlane,
            channel => Amqp.PublishAsync(channel, "amq.topic", victim, change, asWolverine).AsTask()));

        uint messages = 99;
        await Amqp.TryAsync(Services.RabbitMqAdmin, async channel => messages = (await channel.QueueDeclarePassiveAsync(victim)).MessageCount);
        Assert.Equal(0u, messages);
    }

    [Fact]
    public async Task A_node_checks_elb_exchanges_but_cannot_declare_delete_or_read_them_beyond_its_feed()
    {
        var node = Services.RabbitMqDataPlane;
        Assert.Null(await Amqp.TryAsync(node, async channel =>
        {
            foreach (var exchange in new[] { ElbExchanges.InternalChanges, ElbExchanges.Heartbeats, ElbExchanges.HealthReports })
            {
                await channel.ExchangeDeclarePassiveAsync(exchange);
            }
        }));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(node,
            channel => channel.ExchangeDeclareAsync(ElbExchanges.Heartbeats, ExchangeType.Fanout, durable: true)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(node,
            channel => channel.ExchangeDeclareAsync(ElbExchanges.InternalChanges, ExchangeType.Topic, durable: true)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(node, channel => channel.ExchangeDeleteAsync(ElbExchanges.InternalChanges)));
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(node, channel => channel.BasicGetAsync(DataPlaneHeartbeat.Queue, false)));

        var queue = Broker.NodeQueue($"permissions-{Guid.NewGuid():N}");
        _queues.Add(queue);
        Assert.Equal(Amqp.AccessRefused, await Amqp.RefusalAsync(node, async channel =>
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, ElbExchanges.PublicEvents, "#");
        }));
    }

    [Fact]
    public async Task RabbitMQ_refuses_a_user_id_that_is_not_the_publishers_own()
    {
        var heartbeat = Heartbeat($"spoof-{Guid.NewGuid():N}");
        Assert.Equal(Amqp.PreconditionFailed, await Amqp.RefusalAsync(Services.RabbitMqDataPlane, channel =>
            Amqp.PublishAsync(channel, ElbExchanges.Heartbeats, "", heartbeat.Body, heartbeat.As("elb-gateway")).AsTask()));
        Assert.Equal(Amqp.PreconditionFailed, await Amqp.RefusalAsync(Services.RabbitMqAdmin, channel =>
            Amqp.PublishAsync(channel, ElbExchanges.Heartbeats, "", heartbeat.Body, heartbeat.As(DataPlaneUser.Default)).AsTask()));
    }

    [Fact]
    public async Task The_gateway_records_heartbeats_from_the_node_user_only()
    {
        var byAdmin = Heartbeat($"forged-admin-{Guid.NewGuid():N}");
        var byHeader = Heartbeat($"forged-header-{Guid.NewGuid():N}");
        var byNode = Heartbeat($"genuine-{Guid.NewGuid():N}");
        var adminUser = new Uri(Services.RabbitMqManagement).UserInfo.Split(':')[0];

        Assert.Null(await Amqp.TryAsync(Services.RabbitMqAdmin, async channel =>
        {
            await Amqp.PublishAsync(channel, ElbExchanges.Heartbeats, "", byAdmin.Body, byAdmin.As(adminUser));
            // no user_id, only Wolverine's user-name header claiming to be a node
            var claimed = byHeader.As(null);
            claimed.Headers = new Dictionary<string, object?> { ["user-name"] = DataPlaneUser.Default };
            await Amqp.PublishAsync(channel, ElbExchanges.Heartbeats, "", byHeader.Body, claimed);
        }));
        Assert.Null(await Amqp.TryAsync(Services.RabbitMqDataPlane,
            channel => Amqp.PublishAsync(channel, ElbExchanges.Heartbeats, "", byNode.Body, byNode.As(DataPlaneUser.Default)).AsTask()));

        await Eventually.Until(async () => (await NodeIdsAsync()).Contains(byNode.NodeId), "the node user's heartbeat is recorded",
            Within, TimeSpan.FromMilliseconds(100));
        await Task.Delay(1000);
        var nodes = await NodeIdsAsync();
        Assert.DoesNotContain(byAdmin.NodeId, nodes);
        Assert.DoesNotContain(byHeader.NodeId, nodes);
    }

    [Fact]
    public async Task The_gateway_records_health_reports_from_the_node_user_only()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 2, "timeout": 1, "max_retries": 1}}""");
        var forged = await _api.AddMemberAsync(poolId, "127.0.0.41");
        var genuine = await _api.AddMemberAsync(poolId, "127.0.0.42");
        string Status(JsonElement members, Guid id) => members.GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("id").GetGuid() == id).GetProperty("operating_status").GetString()!;
        var before = await _api.GetAsync($"elb/pools/{poolId}/members");
        var wanted = Status(before, forged) == "ONLINE" ? false : true;
        byte[] Report(Guid member) => JsonSerializer.SerializeToUtf8Bytes(new MemberHealthObserved(_api.Project, loadBalancerId, poolId,
            member, wanted, "node1", DateTimeOffset.UtcNow), ElbJson.Options);
        BasicProperties As(string user) => new()
        {
            Type = typeof(MemberHealthObserved).ToMessageTypeName(), ContentType = "application/json",
            MessageId = Guid.NewGuid().ToString(), UserId = user,
        };
        var adminUser = new Uri(Services.RabbitMqManagement).UserInfo.Split(':')[0];

        Assert.Null(await Amqp.TryAsync(Services.RabbitMqAdmin,
            channel => Amqp.PublishAsync(channel, ElbExchanges.HealthReports, "", Report(forged), As(adminUser)).AsTask()));
        Assert.Null(await Amqp.TryAsync(Services.RabbitMqDataPlane,
            channel => Amqp.PublishAsync(channel, ElbExchanges.HealthReports, "", Report(genuine), As(DataPlaneUser.Default)).AsTask()));

        var expected = wanted ? "ONLINE" : "OFFLINE";
        await Eventually.Until(async () => Status(await _api.GetAsync($"elb/pools/{poolId}/members"), genuine) == expected,
            "the node user's health report is recorded", Within, TimeSpan.FromMilliseconds(100));
        await Task.Delay(1000);
        Assert.Equal(Status(before, forged), Status(await _api.GetAsync($"elb/pools/{poolId}/members"), forged));
    }

    private async Task<List<string>> NodeIdsAsync() =>
        [.. (await ElbApi.SystemAdmin(fixture.Gateway).GetAsync("/v3/dataplane/nodes")).GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!)];

    private static RawHeartbeat Heartbeat(string nodeId) => new(nodeId, JsonSerializer.SerializeToUtf8Bytes(
        new DataPlaneHeartbeat(nodeId, "http://127.0.0.1:1", DateTimeOffset.UtcNow, new Dictionary<Guid, LoadBalancerProgress>()),
        ElbJson.Options));

    /// <summary>A heartbeat as Wolverine on a node sends it, so that only its sender differs from a real one.</summary>
    private sealed record RawHeartbeat(string NodeId, byte[] Body)
    {
        public BasicProperties As(string? user) => new()
        {
            Type = typeof(DataPlaneHeartbeat).ToMessageTypeName(),
            ContentType = "application/json",
            MessageId = Guid.NewGuid().ToString(),
            UserId = user,
        };
    }
}
