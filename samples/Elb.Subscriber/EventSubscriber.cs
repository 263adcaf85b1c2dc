using System.Net.Http.Json;
using System.Text.Json;
using Elb.Signing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Elb.Subscriber;

/// <param name="RabbitMq">The project's subscriber credentials (<c>POST /v3/{project_id}/elb/subscribers</c>) as an amqp:// URI.</param>
/// <param name="BindingKey">A topic pattern over <c>&lt;project_id&gt;.&lt;loadbalancer_id&gt;.&lt;type&gt;</c>, e.g. <c>my-project.#</c>.</param>
/// <param name="Queue">A name under the credentials' queue prefix, <c>elb.subscriber.&lt;project_id&gt;.</c>: RabbitMQ refuses any other.</param>
/// <param name="StateFile">Where the subscriber remembers the sequences it has handled, across restarts.</param>
/// <param name="AccessKey">An access key of a user holding a role in the project (elb_viewer is enough): the feed signs with it.</param>
public sealed record SubscriberOptions(Uri RabbitMq, Uri Gateway, string Project, string Queue, string BindingKey, string StateFile,
    string AccessKey, string SecretKey);

/// <summary>
/// Follows Elb's public events at least once with no gap, and hands each one over exactly once: binds its own durable
/// queue first (so nothing published from now on is missed), catches up through the feed from the last sequence it
/// handled, then follows the queue, skipping what it has handled already. Events arrive in sequence order, but the
/// queue repeats what the feed already served, and a page the relay publishes again after a crash repeats events, so
/// it remembers each sequence it handled (the most recent <see cref="HandledSequences.Window"/>), not just the highest.
/// </summary>
public sealed class EventSubscriber(SubscriberOptions options, Func<JsonElement, Task> handle) : IAsyncDisposable
{
    private const string Exchange = "elb.events";
    private const int FeedPage = 500;

    private readonly SemaphoreSlim _delivering = new(1, 1);
    private readonly HttpClient _feed = new(new SdkSigningHandler(options.AccessKey, options.SecretKey, TimeProvider.System)
    {
        InnerHandler = new HttpClientHandler(),
    }) { BaseAddress = options.Gateway };
    private HandledSequences _handled = HandledSequences.Load(options.StateFile);
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task StartAsync(CancellationToken cancellation)
    {
        _connection = await new ConnectionFactory { Uri = options.RabbitMq }.CreateConnectionAsync(cancellation);
        _channel = await _connection.CreateChannelAsync(cancellationToken: cancellation);
        // Elb declares elb.events; a subscriber may only check it is there (it has no configure permission on it).
        await _channel.ExchangeDeclarePassiveAsync(Exchange, cancellation);
        await _channel.QueueDeclareAsync(options.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellation);
        await _channel.QueueBindAsync(options.Queue, Exchange, options.BindingKey, cancellationToken: cancellation);

        await CatchUpAsync(cancellation);

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += async (_, message) =>
        {
            await DeliverAsync(JsonDocument.Parse(message.Body).RootElement.Clone());
            await _channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        };
        await _channel.BasicConsumeAsync(options.Queue, autoAck: false, consumer, cancellation);
    }

    private async Task CatchUpAsync(CancellationToken cancellation)
    {
        // Anything at or below the highest handled sequence that is not handled yet still waits in the durable queue.
        var after = _handled.Highest;
        while (true)
        {
            var page = await _feed.GetFromJsonAsync<JsonElement[]>(
                $"v3/{options.Project}/elb/events?after_sequence={after}&limit={FeedPage}", cancellation) ?? [];
            foreach (var cloudEvent in page)
            {
                after = cloudEvent.GetProperty("sequence").GetInt64();
                if (TopicPattern.Matches(options.BindingKey, RoutingKey(cloudEvent))) await DeliverAsync(cloudEvent);
            }
            if (page.Length < FeedPage) return;
        }
    }

    private async Task DeliverAsync(JsonElement cloudEvent)
    {
        var sequence = cloudEvent.GetProperty("sequence").GetInt64();
        await _delivering.WaitAsync();
        try
        {
            if (_handled.Contains(sequence)) return;
            await handle(cloudEvent);
            _handled = _handled.With(sequence);
            await _handled.SaveAsync(options.StateFile);
        }
        finally
        {
            _delivering.Release();
        }
    }

    private static string RoutingKey(JsonElement e) =>
        $"{e.GetProperty("projectid").GetString()}.{e.GetProperty("loadbalancerid").GetString()}.{e.GetProperty("type").GetString()}";

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
        _feed.Dispose();
    }
}

/// <summary>The sequences a subscriber has handled: the most recent <see cref="Window"/>, and everything older.</summary>
public sealed record HandledSequences(long[] Recent)
{
    public const int Window = 1_000;

    public long Highest => Recent.Length == 0 ? 0 : Recent[^1];

    public static HandledSequences Load(string path) =>
        File.Exists(path) ? new HandledSequences(JsonSerializer.Deserialize<long[]>(File.ReadAllText(path))!) : new([]);

    /// <summary>Handled if remembered, or older than everything remembered once the window is full.</summary>
    public bool Contains(long sequence) =>
        Array.BinarySearch(Recent, sequence) >= 0 || (Recent.Length == Window && sequence < Recent[0]);

    public HandledSequences With(long sequence) =>
        new([.. Recent.Append(sequence).Order().TakeLast(Window)]);

    public Task SaveAsync(string path) => File.WriteAllTextAsync(path, JsonSerializer.Serialize(Recent));
}

/// <summary>AMQP topic matching: <c>*</c> is one word, <c>#</c> zero or more.</summary>
public static class TopicPattern
{
    public static bool Matches(string pattern, string key) => Matches(pattern.Split('.'), 0, key.Split('.'), 0);

    private static bool Matches(string[] pattern, int p, string[] key, int k)
    {
        if (p == pattern.Length) return k == key.Length;
        if (pattern[p] == "#") return Enumerable.Range(k, key.Length - k + 1).Any(next => Matches(pattern, p + 1, key, next));
        return k < key.Length && (pattern[p] == "*" || pattern[p] == key[k]) && Matches(pattern, p + 1, key, k + 1);
    }
}
