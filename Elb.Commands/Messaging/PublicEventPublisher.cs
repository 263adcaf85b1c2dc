using System.Text.Json;
using Elb.Commands.Hosting;
using Elb.Commands.PublicEvents;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Elb.Commands.Messaging;

/// <summary>
/// Publishes a page of CloudEvents to <c>elb.events</c> in the page's order and returns once RabbitMQ has confirmed
/// every one, retrying the page (on a new channel, with backoff) until it has. Hand-written because Wolverine's RabbitMQ
/// sender confirms one message at a time, then deletes its outbox row, one after another: under load the relay
/// published about 40 events/s against 490 commands/s (bench/command-throughput.sh). Here a page is written in order
/// on one channel and its confirms are awaited together; the relay commits its progress only after, so no outbox is
/// needed (a crash in between publishes the page again: subscribers de-duplicate by <c>sequence</c>).
/// </summary>
public sealed class PublicEventPublisher(Uri broker, TimeProvider time, ILogger<PublicEventPublisher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100), LongestRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private PageConfirms? _page;

    /// <summary>One event as it goes out: its CloudEvent, and the W3C <c>traceparent</c> its publish continues, if any.</summary>
    public sealed record Outgoing(CloudEvent Event, string? Traceparent);

    public async Task PublishInOrderAsync(IReadOnlyList<Outgoing> events, CancellationToken cancellation)
    {
        if (events.Count == 0) return;
        await _gate.WaitAsync(cancellation);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await PublishAsync(events, cancellation);
                    return;
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested)
                {
                    logger.LogWarning("Publishing {Count} events to {Exchange} failed (attempt {Attempt}), retrying: {Error}",
                        events.Count, ElbExchanges.PublicEvents, attempt, e.Message);
                    await CloseAsync();
                    await Task.Delay(Backoff.After(attempt, FirstRetry, LongestRetry), time, cancellation);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PublishAsync(IReadOnlyList<Outgoing> events, CancellationToken cancellation)
    {
        var channel = await ChannelAsync(cancellation);
        var page = _page = new PageConfirms();
        foreach (var (cloudEvent, traceparent) in events)
        {
            page.Expect(await channel.GetNextPublishSequenceNumberAsync(cancellation));
            var properties = new BasicProperties
            {
                ContentType = CloudEvent.ContentType,
                MessageId = cloudEvent.Id,
                Persistent = true,
                Headers = traceparent is null ? null : new Dictionary<string, object?> { [EventTraceContext.Header] = traceparent },
            };
            await channel.BasicPublishAsync(ElbExchanges.PublicEvents, cloudEvent.RoutingKey, mandatory: false, properties,
                JsonSerializer.SerializeToUtf8Bytes(cloudEvent, ElbJson.Options), cancellation);
        }
        page.Seal();
        await page.AllConfirmed.WaitAsync(ConfirmWithin, time, cancellation);
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellation)
    {
        if (_channel is { IsOpen: true } open) return open;
        _connection ??= await new ConnectionFactory { Uri = broker, ClientProvidedName = "elb-events-relay", AutomaticRecoveryEnabled = false }
            .CreateConnectionAsync(cancellation);
        // Confirms on, tracked here: RabbitMQ.Client's own tracking awaits each publish's confirm before the next.
        var channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false), cancellation);
        channel.BasicAcksAsync += (_, ack) => Settle(ack.DeliveryTag, ack.Multiple, null);
        channel.BasicNacksAsync += (_, nack) => Settle(nack.DeliveryTag, nack.Multiple, "RabbitMQ refused (nacked) an event");
        channel.ChannelShutdownAsync += (_, shutdown) =>
        {
            _page?.Fail($"the channel closed: {shutdown.ReplyText}");
            return Task.CompletedTask;
        };
        return _channel = channel;
    }

    private Task Settle(ulong deliveryTag, bool multiple, string? refused)
    {
        if (refused is null) _page?.Confirm(deliveryTag, multiple);
        else _page?.Fail(refused);
        return Task.CompletedTask;
    }

    private async Task CloseAsync()
    {
        // A failed connection is dropped whole: a new one is opened for the next attempt.
        try
        {
            if (_channel is not null) await _channel.DisposeAsync();
            if (_connection is not null) await _connection.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogDebug("Closing the relay's RabbitMQ connection: {Error}", e.Message);
        }
        _channel = null;
        _connection = null;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _gate.Dispose();
    }
}

/// <summary>
/// The delivery tags of one page of publishes still waiting for RabbitMQ's confirm: done once the page is sealed (every
/// publish written) and the last confirm is in, failed by a nack or a closed channel.
/// </summary>
public sealed class PageConfirms
{
    private readonly SortedSet<ulong> _waiting = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _sealed;

    public Task AllConfirmed => _done.Task;

    public void Expect(ulong deliveryTag)
    {
        lock (_waiting) _waiting.Add(deliveryTag);
    }

    /// <summary>Every event of the page is published: it is done once the last confirm is in.</summary>
    public void Seal()
    {
        lock (_waiting)
        {
            _sealed = true;
            if (_waiting.Count == 0) _done.TrySetResult();
        }
    }

    public void Confirm(ulong deliveryTag, bool multiple)
    {
        lock (_waiting)
        {
            if (multiple) _waiting.RemoveWhere(tag => tag <= deliveryTag);
            else _waiting.Remove(deliveryTag);
            if (_sealed && _waiting.Count == 0) _done.TrySetResult();
        }
    }

    public void Fail(string reason) => _done.TrySetException(new IOException(reason));
}
