using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Elb.Commands.Messaging;

/// <summary>
/// The two topic exchanges, declared the same way by every process: the public contract for subscribers, and the
/// internal feed data-plane nodes follow. Subscribers never see internal traffic.
/// </summary>
public static class ElbExchanges
{
    /// <summary>CloudEvents for external subscribers, keyed <c>&lt;project_id&gt;.&lt;loadbalancer_id&gt;.&lt;type&gt;</c>.</summary>
    public const string PublicEvents = "elb.events";

    /// <summary><see cref="LoadBalancerChange"/> messages for data-plane nodes, keyed <c>&lt;loadbalancer_id&gt;.&lt;EventType&gt;</c>.</summary>
    public const string InternalChanges = "elb.internal.changes";

    public static RabbitMqTransportExpression UseElbRabbitMq(this WolverineOptions options, string connectionUri)
    {
        options.UseSystemTextJsonForSerialization(json => ElbJson.Configure(json));
        var rabbit = options.UseRabbitMq(new Uri(connectionUri)).AutoProvision();
        foreach (var name in new[] { PublicEvents, InternalChanges })
        {
            rabbit.DeclareExchange(name, exchange =>
            {
                exchange.ExchangeType = ExchangeType.Topic;
                exchange.IsDurable = true;
            });
        }
        return rabbit;
    }
}
