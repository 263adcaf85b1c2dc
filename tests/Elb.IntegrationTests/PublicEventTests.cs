using System.Collections.Concurrent;
using System.Text.Json;
using Elb.Subscriber;
using RabbitMQ.Client;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class PublicEventTests(GatewayFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly ElbApi _api = new(fixture.Gateway);
    private readonly string _stateFile = Path.GetTempFileName();
    private readonly List<string> _queues = [];
    private SubscriberUser _subscriber = null!;

    public async Task InitializeAsync()
    {
        File.Delete(_stateFile);
        _subscriber = await SubscriberUser.CreateAsync(_api, fixture.Services);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_stateFile);
        foreach (var queue in _queues) await WithChannel(channel => channel.QueueDeleteAsync(queue));
        await _subscriber.DeleteAsync();
    }

    /// <summary>The sample subscriber, with credentials the project got from the gateway, as a customer would run it.</summary>
    private EventSubscriber Subscriber(string bindingKey, ConcurrentQueue<JsonElement> received, string? queue = null)
    {
        queue ??= _subscriber.Queue();
        if (!_queues.Contains(queue)) _queues.Add(queue);
        return new EventSubscriber(new SubscriberOptions(_subscriber.Uri, fixture.ListeningGatewayUrl(),
            _api.Project, queue, bindingKey, _stateFile, _api.User!.AccessKey, _api.User.SecretKey), e =>
        {
            received.Enqueue(e);
            return Task.CompletedTask;
        });
    }

    private async Task<int> ProjectEventCountAsync() => (await _api.GetAsync("elb/history?limit=1000")).GetProperty("events").GetArrayLength();

    private static Task WaitUntil(Func<Task<bool>> done, string what) =>
        Eventually.Until(done, what, Within, TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task A_subscriber_bound_to_one_load_balancer_receives_exactly_its_events_in_order_as_cloud_events()
    {
        var mine = await _api.CreateLoadBalancerWithSubnetAsync("mine");
        var received = new ConcurrentQueue<JsonElement>();
        await using var subscriber = Subscriber($"{_api.Project}.{mine}.#", received);
        await subscriber.StartAsync(CancellationToken.None);
        var rawQueue = await DeclareRawQueueAsync($"{_api.Project}.*.elb.member.added.v1");

        var other = await _api.CreateLoadBalancerAsync("other");
        foreach (var loadBalancerId in new[] { mine, other })
        {
            var poolId = await _api.CreatePoolAsync(loadBalancerId);
            await _api.AddMemberAsync(poolId, "10.0.0.31");
            await _api.PutAsync($"elb/loadbalancers/{loadBalancerId}", """{"loadbalancer": {"description": "changed"}}""");
        }
        var expected = (await _api.GetAsync($"elb/loadbalancers/{mine}/history")).GetProperty("events").GetArrayLength();

        await WaitUntil(() => Task.FromResult(received.Count >= expected), $"{expected} events for {mine}");
        await Task.Delay(500);
        var events = received.ToList();
        Assert.Equal(expected, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("1.0", e.GetProperty("specversion").GetString());
            Assert.True(Guid.TryParse(e.GetProperty("id").GetString(), out _));
            Assert.Equal($"/v3/{_api.Project}/elb/loadbalancers/{mine}", e.GetProperty("source").GetString());
            Assert.Matches(@"^elb\.[a-z]+\.[a-z_]+\.v1$", e.GetProperty("type").GetString());
            Assert.Equal(mine, e.GetProperty("loadbalancerid").GetGuid());
            Assert.True(e.TryGetProperty("time", out _) && e.TryGetProperty("subject", out _) && e.TryGetProperty("data", out _));
        });
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order().Distinct(), sequences);
        Assert.Equal(["elb.loadbalancer.created.v1", "elb.pool.created.v1", "elb.member.added.v1", "elb.loadbalancer.updated.v1"],
            events.Select(e => e.GetProperty("type").GetString()));

        var raw = await NextRawMessageAsync(rawQueue);
        Assert.Equal("application/cloudevents+json", raw.BasicProperties.ContentType);
        Assert.StartsWith($"{_api.Project}.", raw.RoutingKey);
        Assert.EndsWith(".elb.member.added.v1", raw.RoutingKey);
    }

    [Fact]
    public async Task A_subscriber_stopped_during_100_changes_sees_every_change_exactly_once_through_feed_and_exchange()
    {
        var received = new ConcurrentQueue<JsonElement>();
        var queue = _subscriber.Queue();
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());
        await using (var first = Subscriber($"{_api.Project}.#", received, queue))
        {
            await first.StartAsync(CancellationToken.None);
            await WaitUntil(async () => received.Count >= await ProjectEventCountAsync(), "the first events");
        }

        for (var i = 0; i < 100; i++) await _api.AddMemberAsync(poolId, $"10.0.{i / 250}.{i % 250 + 1}");
        await using var restarted = Subscriber($"{_api.Project}.#", received, queue);
        await restarted.StartAsync(CancellationToken.None);
        var total = await ProjectEventCountAsync();

        await WaitUntil(() => Task.FromResult(received.Count >= total), $"{total} events");
        await Task.Delay(1000);
        var sequences = received.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(total, sequences.Count);
        Assert.Equal(total, sequences.Distinct().Count());
        Assert.Equal(100, received.Count(e => e.GetProperty("type").GetString() == "elb.member.added.v1"));
    }

    [Fact]
    public async Task Events_accepted_while_the_broker_is_down_are_delivered_once_it_is_back()
    {
        var queue = await DeclareRawQueueAsync($"{_api.Project}.#");
        await fixture.Services.RabbitMqCtlAsync("stop_app");
        try
        {
            var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());
            for (var i = 1; i <= 3; i++) await _api.AddMemberAsync(poolId, $"10.0.0.{i}");
        }
        finally
        {
            await fixture.Services.RabbitMqCtlAsync("start_app");
            await fixture.Services.RabbitMqCtlAsync("await_startup");
        }

        var types = new List<string>();
        var deadline = DateTime.UtcNow + Within;
        while (types.Count < 5 && DateTime.UtcNow < deadline)
        {
            var message = await TryNextRawMessageAsync(queue);
            if (message is null) await Task.Delay(200);
            else types.Add(JsonDocument.Parse(message.Body).RootElement.GetProperty("type").GetString()!);
        }

        // Every event arrives, in sequence order: the relay goes on with a page only once RabbitMQ has confirmed it.
        Assert.Equal(["elb.loadbalancer.created.v1", "elb.pool.created.v1", "elb.member.added.v1", "elb.member.added.v1", "elb.member.added.v1"],
            types);
    }

    private async Task<string> DeclareRawQueueAsync(string bindingKey)
    {
        var queue = $"test.raw.{Guid.NewGuid():N}";
        _queues.Add(queue);
        await WithChannel(async channel =>
        {
            await channel.ExchangeDeclareAsync("elb.events", ExchangeType.Topic, durable: true);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, "elb.events", bindingKey);
        });
        return queue;
    }

    private async Task<BasicGetResult> NextRawMessageAsync(string queue)
    {
        var deadline = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < deadline)
        {
            if (await TryNextRawMessageAsync(queue) is { } message) return message;
            await Task.Delay(100);
        }
        throw new TimeoutException($"nothing arrived on {queue}");
    }

    private async Task<BasicGetResult?> TryNextRawMessageAsync(string queue)
    {
        BasicGetResult? result = null;
        await WithChannel(async channel => result = await channel.BasicGetAsync(queue, autoAck: true));
        return result;
    }

    /// <summary>As the broker's administrator: raw queues under any name, and cleaning up.</summary>
    private async Task WithChannel(Func<IChannel, Task> action)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(fixture.Services.RabbitMqAdmin) }.CreateConnectionAsync();
        await using (connection)
        await using (var channel = await connection.CreateChannelAsync())
        {
            await action(channel);
        }
    }
}

public class HandledSequencesTests
{
    [Fact]
    public void A_late_event_below_the_highest_handled_is_still_handled_once()
    {
        var handled = new HandledSequences([]).With(105).With(103);

        Assert.False(handled.Contains(104));
        Assert.True(handled.With(104).Contains(104));
        Assert.Equal(105, handled.Highest);
    }

    [Fact]
    public void Beyond_the_window_older_sequences_count_as_handled()
    {
        var handled = Enumerable.Range(1_000, HandledSequences.Window).Aggregate(new HandledSequences([]), (h, s) => h.With(s));

        Assert.True(handled.Contains(10));
        Assert.False(handled.Contains(5_000));
    }
}
