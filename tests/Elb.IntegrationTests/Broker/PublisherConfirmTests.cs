using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;
using Wolverine.Runtime;

namespace Elb.IntegrationTests;

/// <summary>
/// The gateway's outbox deletes an envelope only once RabbitMQ confirmed it (bench/faults.sh lost an elb.events message
/// on a broker restart without confirms). A restart of the shared broker is not for tests: this checks the setting.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PublisherConfirmTests(GatewayFixture fixture)
{
    [Fact]
    public void The_gateway_publishes_with_publisher_confirms_awaited()
    {
        var transport = fixture.Gateway.Services.GetRequiredService<IWolverineRuntime>().Options.Transports
            .GetOrCreate<RabbitMqTransport>();
        var channel = new WolverineRabbitMqChannelOptions();
        transport.ChannelCreationOptions?.Invoke(channel);
        Assert.True(channel.PublisherConfirmationsEnabled);
        Assert.True(channel.PublisherConfirmationTrackingEnabled);
    }
}
