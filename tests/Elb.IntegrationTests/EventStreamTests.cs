using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class EventStreamTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_load_balancers_stream_reads_back_in_order_with_versions_1_to_n()
    {
        var api = new ElbApi(fixture.Gateway);
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        for (var i = 1; i <= 3; i++) await api.AddMemberAsync(poolId, $"10.0.2.{i}");

        await using var session = fixture.Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(loadBalancerId);

        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Version));
        Assert.Equal(["LoadBalancerCreated", "BackendServerGroupCreated", "BackendServerAdded", "BackendServerAdded",
            "BackendServerAdded"], events.Select(e => e.EventType.Name));
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Sequence < pair.Second.Sequence));
    }
}
