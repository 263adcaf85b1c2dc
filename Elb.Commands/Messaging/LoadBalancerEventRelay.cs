using Elb.Commands.LoadBalancers;
using Elb.Commands.PublicEvents;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Elb.Commands.Messaging;

/// <summary>
/// Publishes every load balancer event from a Marten subscription, twice: as a CloudEvent to the public
/// <c>elb.events</c> and as a <see cref="LoadBalancerChange"/> to the nodes' internal feed. Pages arrive in global
/// sequence order and the messages join the same transaction as the subscription's progress (Wolverine's durable
/// outbox), so an accepted command reaches the broker in stream order, also after a crash or an outage. A project
/// whose id could not be a routing key's first word alone (<see cref="ProjectIds"/>) gets no public events: its
/// keys would match another project's bindings.
/// </summary>
public sealed class LoadBalancerEventRelay() : BatchSubscription("elb_events_relay")
{
    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
        {
            if (e.Data is not ILoadBalancerEvent data) continue;
            await bus.PublishAsync(ToChange(e, data));
            if (ProjectIds.IsValid(data.ProjectId)) await bus.PublishAsync(PublicEventContract.ToCloudEvent(e, data));
        }
    }

    public static LoadBalancerChange ToChange(IEvent e, ILoadBalancerEvent data) =>
        new(e.Id, data.LoadBalancerId, e.Version, e.Sequence, e.EventType.Name, e.Timestamp, data);
}
