using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Elb.Commands.Messaging;

/// <summary>The topic exchange every load balancer event is published to, declared the same way by every process.</summary>
public static class ElbEventsExchange
{
    public const string Name = "elb.events";

    public static RabbitMqTransportExpression UseElbRabbitMq(this WolverineOptions options, string connectionUri)
    {
        options.UseSystemTextJsonForSerialization(json => ElbJson.Configure(json));
        var rabbit = options.UseRabbitMq(new Uri(connectionUri)).AutoProvision();
        rabbit.DeclareExchange(Name, exchange =>
        {
            exchange.ExchangeType = ExchangeType.Topic;
            exchange.IsDurable = true;
        });
        return rabbit;
    }
}
