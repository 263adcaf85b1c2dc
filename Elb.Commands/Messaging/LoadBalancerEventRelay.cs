using System.Diagnostics;
using System.Diagnostics.Metrics;
using Elb.Commands.Hosting;
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
/// Publishes every load balancer event from a Marten subscription as a CloudEvent to the public <c>elb.events</c>
/// (the nodes' feed leaves from the command's own outbox: <see cref="NodeFeed"/>). Pages arrive in global sequence
/// order; a page is published in that order and confirmed by RabbitMQ (<see cref="PublicEventPublisher"/>) before the
/// subscription's progress past it commits, so an accepted command reaches subscribers in sequence order, also after a
/// crash or an outage (a page cut short is published again, whole). A project
/// whose id could not be a routing key's first word alone (<see cref="ProjectIds"/>) gets no public events: its
/// keys would match another project's bindings. Each publish continues the trace of the command that appended the
/// event (<see cref="EventTraceContext"/>), and <c>elb.relay.lag</c> measures how long the event waited for it.
/// </summary>
public sealed class LoadBalancerEventRelay(PublicEventPublisher publisher) : BatchSubscription("elb_events_relay")
{
    public const string MeterName = "Elb.Relay";

    private static readonly Histogram<double> Lag = new Meter(MeterName).CreateHistogram<double>("elb.relay.lag", "s",
        "From an event's commit to the relay publishing it", tags: null, advice: ElbTelemetry.LagBuckets);

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        List<PublicEventPublisher.Outgoing> outgoing = [];
        foreach (var e in page.Events)
        {
            if (e.Data is not ILoadBalancerEvent data || !ProjectIds.IsValid(data.ProjectId)) continue;
            using var publishing = ElbTelemetry.Source.StartActivity($"relay {e.EventType.Name}", ActivityKind.Producer,
                EventTraceContext.ParentOf(e));
            publishing?.SetTag("elb.loadbalancer_id", data.LoadBalancerId.ToString());
            publishing?.SetTag("elb.version", e.Version);
            publishing?.SetTag("elb.sequence", e.Sequence);
            outgoing.Add(new(PublicEventContract.ToCloudEvent(e, data), publishing?.Id ?? EventTraceContext.TraceparentOf(e)));
        }
        await publisher.PublishInOrderAsync(outgoing, cancellationToken);
        var published = DateTimeOffset.UtcNow;
        foreach (var sent in outgoing) Lag.Record((published - sent.Event.Time).TotalSeconds);
    }
}
