using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Elb.Commands.Messaging;

/// <summary>
/// Elb's RabbitMQ topology. The gateway owns (declares, through Wolverine's auto-provisioning) every exchange: the
/// public contract for subscribers, the internal feed data-plane nodes follow, and the two exchanges nodes report
/// into. Nodes declare nothing through Wolverine, only their own queue (<c>Elb.DataPlane/Messaging/ChangeFeedQueue.cs</c>),
/// and check the exchanges with passive declares, so their RabbitMQ user needs no configure permission on any
/// exchange. The broker's users and permissions (<c>scripts/broker-setup.py</c>) name exactly these resources.
/// </summary>
public static class ElbExchanges
{
    /// <summary>CloudEvents for external subscribers, keyed <c>&lt;project_id&gt;.&lt;loadbalancer_id&gt;.&lt;type&gt;</c>.</summary>
    public const string PublicEvents = "elb.events";

    /// <summary><see cref="LoadBalancerChanges"/> messages for data-plane nodes, keyed <c>&lt;loadbalancer_id&gt;.&lt;EventType&gt;</c>.</summary>
    public const string InternalChanges = "elb.internal.changes";

    /// <summary><see cref="DataPlaneHeartbeat"/>s from nodes (fanout), bound to the gateway's <see cref="DataPlaneHeartbeat.Queue"/>.</summary>
    public const string Heartbeats = "elb.heartbeats";

    /// <summary><see cref="HealthChecks.MemberHealthObserved"/> reports from nodes (fanout), bound to the gateway's queue.</summary>
    public const string HealthReports = "elb.health-reports";

    /// <summary>
    /// Wolverine's dead-letter exchange and queue (its default name). Durable queues name it as their
    /// <c>x-dead-letter-exchange</c>; the gateway declares it, nodes only refer to it.
    /// </summary>
    public const string DeadLetters = "wolverine-dead-letter-queue";

    /// <summary>
    /// The RabbitMQ transport as every Elb process uses it: Elb's JSON, and no request/reply queue (Elb sends no
    /// requests over the broker, and each such queue would need permissions of its own). It declares nothing unless
    /// auto-provisioning is turned on, as the gateway does.
    /// </summary>
    public static RabbitMqTransportExpression UseElbRabbitMq(this WolverineOptions options, string connectionUri)
    {
        options.UseSystemTextJsonForSerialization(json => ElbJson.Configure(json));
        return options.UseRabbitMq(new Uri(connectionUri)).DisableSystemRequestReplyQueueDeclaration();
    }

    /// <summary>
    /// Publisher confirms, awaited per publish: the durable outbox deletes an envelope only once RabbitMQ has taken it.
    /// Without them (Wolverine's default) a publish written to a connection just as the broker shuts down counts as
    /// sent and is lost: bench/faults.sh lost one elb.events message so on a RabbitMQ restart.
    /// </summary>
    public static RabbitMqTransportExpression ConfirmPublishes(this RabbitMqTransportExpression rabbit) =>
        rabbit.ConfigureChannelCreation(channel =>
        {
            channel.PublisherConfirmationsEnabled = true;
            channel.PublisherConfirmationTrackingEnabled = true;
        });

    /// <summary>
    /// The gateway's part: it declares every Elb exchange, its own queues and their bindings, and (Wolverine's
    /// default) the dead-letter exchange and queue.
    /// </summary>
    public static RabbitMqTransportExpression ProvisionElbTopology(this RabbitMqTransportExpression rabbit)
    {
        rabbit.AutoProvision();
        foreach (var name in new[] { PublicEvents, InternalChanges })
        {
            rabbit.DeclareExchange(name, exchange =>
            {
                exchange.ExchangeType = ExchangeType.Topic;
                exchange.IsDurable = true;
            });
        }
        rabbit.DeclareExchange(Heartbeats, exchange =>
        {
            exchange.ExchangeType = ExchangeType.Fanout;
            exchange.IsDurable = true;
            exchange.BindQueue(DataPlaneHeartbeat.Queue);
        });
        rabbit.DeclareExchange(HealthReports, exchange =>
        {
            exchange.ExchangeType = ExchangeType.Fanout;
            exchange.IsDurable = true;
            exchange.BindQueue(HealthChecks.MemberHealthObserved.Queue);
        });
        return rabbit;
    }
}
