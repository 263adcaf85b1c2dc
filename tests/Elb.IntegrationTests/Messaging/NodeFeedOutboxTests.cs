using Elb.Commands.Messaging;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wolverine.Runtime;

namespace Elb.IntegrationTests.Messaging;

[Collection(GatewayCollection.Name)]
public class NodeFeedOutboxTests(GatewayFixture fixture)
{
    /// <summary>
    /// The feed's outbox is written in the command's session, but none of Wolverine's listeners sends it as the
    /// session commits (that send, confirm and delete is what the command used to wait for): only the feed's own
    /// listener, which sends after the commit without being awaited. Delivery itself is DataPlanePropagationTests'.
    /// </summary>
    [Fact]
    public async Task A_commands_session_gets_the_feeds_listener_and_no_listener_that_sends_inside_the_commit()
    {
        var services = fixture.Gateway.Services;
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        var before = session.Listeners.ToList();

        NodeFeed.Before(session, services.GetRequiredService<IWolverineRuntime>(), TimeProvider.System,
            NullLogger<LoadBalancerChanges>.Instance);

        var added = Assert.Single(session.Listeners.Except(before));
        Assert.Equal(typeof(NodeFeed), added.GetType().DeclaringType);
    }
}
