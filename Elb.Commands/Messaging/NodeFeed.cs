using Elb.Commands.LoadBalancers;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Elb.Commands.Messaging;

/// <summary>
/// Wolverine middleware on every command: the load balancer events it appends go to the nodes' feed through the
/// command's own durable outbox, written in the command's transaction and sent as it commits. A subscription would
/// publish them only once the store-wide high-water mark passes them, and one slow transaction of any tenant holds
/// that mark back for everyone: under load that cost seconds of convergence. Per load balancer the stream lock orders
/// the commits; a node that still sees a later version first closes the gap from the control plane.
/// The feed has an outbox of its own, sent after the command has answered: Wolverine sends a command's own outbox
/// before the command returns, one publish and one confirm at a time, then deletes each row, and that was half of a
/// command's latency (bench/command-throughput.sh, one client). The rows are committed with the command either way, so a
/// send cut short (a crash, RabbitMQ away) is recovered by Wolverine's durability agent as any outbox row is.
/// </summary>
public static class NodeFeed
{
    public static void Before(IDocumentSession session, IWolverineRuntime runtime, TimeProvider clock, ILogger<LoadBalancerChanges> logger)
    {
        var enrolled = session.Listeners.Count;
        var feed = new MartenOutbox(runtime, session);
        // MartenOutbox enrolls a listener that sends as the session commits, inside the command: taken out, and sent
        // by FeedNodes once the commit is done, without the command waiting.
        while (session.Listeners.Count > enrolled) session.Listeners.RemoveAt(enrolled);
        session.Listeners.Add(new FeedNodes(feed, clock, logger));
    }

    /// <summary>
    /// The changes a session's pending appends make, a message per load balancer: each load balancer event at the
    /// version it takes its stream to.
    /// </summary>
    public static IEnumerable<LoadBalancerChanges> Changes(IEnumerable<StreamAction> streams, DateTimeOffset occurredAt)
    {
        foreach (var stream in streams)
        {
            if (!stream.Events.Any(e => e.Data is ILoadBalancerEvent)) continue;
            // Commands append to a load balancer fetched under its lock (or start its stream): the version is known.
            var before = stream.ActionType == StreamActionType.Start ? 0 : stream.ExpectedVersionOnServer
                ?? throw new InvalidOperationException($"Load balancer {stream.Id} was appended to without its version: fetch it for writing first.");
            var changes = stream.Events
                .Select((e, index) => e.Data is ILoadBalancerEvent data
                    ? new LoadBalancerChange(e.Id, data.LoadBalancerId, before + index + 1, e.EventType.Name, occurredAt, data)
                    : null)
                .OfType<LoadBalancerChange>()
                .ToList();
            yield return new LoadBalancerChanges(stream.Id, changes);
        }
    }

    private sealed class FeedNodes(MartenOutbox feed, TimeProvider clock, ILogger logger) : DocumentSessionListenerBase
    {
        // Before the save, so the outbox rows join the batch of the events themselves.
        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            foreach (var changes in Changes(session.PendingChanges.Streams(), clock.GetUtcNow()))
            {
                await feed.PublishAsync(changes);
            }
        }

        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            _ = SendAsync();
            return Task.CompletedTask;
        }

        private async Task SendAsync()
        {
            // Wolverine retries and logs a failed send itself; this catches only what escapes it.
            try
            {
                await feed.FlushOutgoingMessagesAsync();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Sending the nodes' feed failed; Wolverine's durability agent resends it from the outbox");
            }
        }
    }
}
