using Elb.Commands.LoadBalancers;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Wolverine;

namespace Elb.Commands.Messaging;

/// <summary>
/// Wolverine middleware on every command: the load balancer events it appends go to the nodes' feed through the
/// command's own durable outbox, written in the command's transaction and sent as it commits. A subscription would
/// publish them only once the store-wide high-water mark passes them, and one slow transaction of any tenant holds
/// that mark back for everyone: under load that cost seconds of convergence. Per load balancer the stream lock orders
/// the commits; a node that still sees a later version first closes the gap from the control plane.
/// </summary>
public static class NodeFeed
{
    public static void Before(IDocumentSession session, IMessageContext context, TimeProvider clock) =>
        session.Listeners.Add(new PublishBeforeSave(context, clock));

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

    private sealed class PublishBeforeSave(IMessageContext context, TimeProvider clock) : DocumentSessionListenerBase
    {
        // Before the save, so the outbox rows join the batch of the events themselves.
        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            foreach (var changes in Changes(session.PendingChanges.Streams(), clock.GetUtcNow()))
            {
                await context.PublishAsync(changes);
            }
        }
    }
}
