using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Elb.Commands.Messaging;

/// <summary>
/// The AMQP <c>user_id</c> property says which RabbitMQ user published a message, and RabbitMQ refuses (closes the
/// channel of) any publish whose <c>user_id</c> is not the connection's own user, so a receiver can trust it. A node
/// stamps what it publishes with its user; the gateway reads the property into <see cref="Envelope.UserName"/>,
/// replacing whatever a <c>user-name</c> header said, and <see cref="DataPlaneUser"/> checks it.
/// </summary>
public static class AmqpUserId
{
    /// <summary>The user RabbitMQ authenticates a connection to <paramref name="connectionUri"/> as (as the client parses it).</summary>
    public static string UserOf(string connectionUri) => new ConnectionFactory { Uri = new Uri(connectionUri) }.UserName;

    /// <summary>Every message sent through this endpoint carries <c>user_id</c> = <paramref name="user"/>.</summary>
    public static RabbitMqSubscriberConfiguration StampedWithUserId(this RabbitMqSubscriberConfiguration endpoint, string user) =>
        endpoint.UseInterop((_, mapper) => mapper.MapOutgoingProperty(e => e.UserName!, (_, properties) => properties.UserId = user));

    /// <summary>
    /// <see cref="Envelope.UserName"/> of every message received here is its <c>user_id</c> (null when it has none),
    /// never a header a publisher chose.
    /// </summary>
    public static RabbitMqListenerConfiguration ReadingUserId(this RabbitMqListenerConfiguration listener) =>
        listener.UseInterop((_, mapper) => mapper.MapIncomingProperty(e => e.UserName!, (envelope, properties) =>
            envelope.UserName = string.IsNullOrEmpty(properties.UserId) ? null : properties.UserId));
}

/// <summary>
/// The RabbitMQ user data-plane nodes connect as (<c>Broker:DataPlaneUser</c>, default <see cref="Default"/>): the
/// only sender whose heartbeats and health reports the gateway records.
/// </summary>
public sealed record DataPlaneUser(string Name)
{
    public const string Default = "elb-dataplane";

    /// <summary>True when the message came from a node; otherwise logs who sent it, for the caller to drop it.</summary>
    public bool Sent(Envelope envelope, string message, ILogger logger)
    {
        if (envelope.UserName == Name) return true;
        logger.LogWarning(
            "Dropped a {Message} published by RabbitMQ user {User}: only {DataPlaneUser} speaks for data-plane nodes",
            message, envelope.UserName ?? "(no user_id)", Name);
        return false;
    }
}
