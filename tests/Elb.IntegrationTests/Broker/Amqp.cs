using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Elb.IntegrationTests;

/// <summary>Tries one thing on the broker as a given user and tells whether RabbitMQ let it.</summary>
public static class Amqp
{
    public const ushort AccessRefused = 403;
    public const ushort PreconditionFailed = 406;

    /// <summary>
    /// Runs <paramref name="action"/> on a fresh channel with publisher confirms, then one more round trip (a refused
    /// publish closes the channel asynchronously), and answers how RabbitMQ closed the channel: null when it allowed
    /// everything.
    /// </summary>
    public static async Task<ShutdownEventArgs?> TryAsync(string uri, Func<IChannel, Task> action)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync();
        await using (connection)
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await using (channel)
            {
                try
                {
                    await action(channel);
                    await channel.BasicQosAsync(0, 1, false);
                }
                catch (Exception) when (channel.CloseReason is not null)
                {
                }
                return channel.CloseReason;
            }
        }
    }

    public static async Task<ushort?> RefusalAsync(string uri, Func<IChannel, Task> action) =>
        (await TryAsync(uri, action))?.ReplyCode;

    public static ValueTask PublishAsync(IChannel channel, string exchange, string routingKey, byte[] body,
        BasicProperties? properties = null) =>
        channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties ?? new BasicProperties(), body);
}
