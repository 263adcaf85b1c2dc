using Elb.Commands.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Elb.DataPlane.Messaging;

/// <summary>
/// The node's queue on the internal feed, <c>elb.dataplane.&lt;node_id&gt;</c> bound <c>#</c> to
/// <c>elb.internal.changes</c>, declared by the node itself before Wolverine starts listening to it. Wolverine's
/// auto-provisioning stays off on nodes: with it on, Wolverine 6.62's listener also declares the dead-letter queue
/// (ignoring <c>IsExternallyOwned</c>), which would take configure permission on a queue the gateway shares. Here
/// the node's RabbitMQ user needs configure permission on its own queue only, and the exchanges it relies on are
/// only checked (passive declares need no permission).
/// </summary>
public static class ChangeFeedQueue
{
    /// <summary>The arguments Wolverine has always declared node queues with (a different set would be refused).</summary>
    private static readonly Dictionary<string, object?> Arguments = new() { ["x-dead-letter-exchange"] = ElbExchanges.DeadLetters };

    public static async Task DeclareAsync(string connectionUri, string queue, CancellationToken cancellation)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionUri), ClientProvidedName = $"{queue} setup" };
        await using var connection = await factory.CreateConnectionAsync(cancellation);
        foreach (var exchange in new[] { ElbExchanges.InternalChanges, ElbExchanges.Heartbeats, ElbExchanges.HealthReports })
        {
            // a failed passive declare closes the channel: one channel per check
            await using var check = await connection.CreateChannelAsync(cancellationToken: cancellation);
            try
            {
                await check.ExchangeDeclarePassiveAsync(exchange, cancellation);
            }
            catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ has no exchange '{exchange}': the gateway declares it when it starts, and so does scripts/broker-setup.py.", e);
            }
        }
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellation);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, Arguments,
            cancellationToken: cancellation);
        await channel.QueueBindAsync(queue, ElbExchanges.InternalChanges, "#", cancellationToken: cancellation);
    }
}
