using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Projections;
using Elb.Projections.LoadBalancers;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.LoadBalancers;

[Collection(GatewayCollection.Name)]
public class LoadBalancerWriteCacheTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    private LoadBalancerWriteCache Cache =>
        ((StoreOptions)fixture.Gateway.Services.GetRequiredService<IDocumentStore>().Options).Projections.FetchPlanners
            .OfType<LoadBalancerFetchPlanner>().Single().Cache;

    [Fact]
    public async Task A_command_on_a_load_balancer_this_gateway_changed_last_takes_it_from_memory()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.AddMemberAsync(poolId, "10.0.0.7");
        var hits = Cache.Hits;

        await _api.AddMemberAsync(poolId, "10.0.0.8");
        // decided against the state the previous command left, not the one it fetched
        await _api.PostAsync($"elb/pools/{poolId}/members", """{"member": {"address": "10.0.0.8", "protocol_port": 80}}""", 409);

        Assert.True(Cache.Hits >= hits + 2, $"{Cache.Hits - hits} of 2 commands took the load balancer from memory");
        var members = (await _api.GetAsync($"elb/pools/{poolId}/members")).GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("address").GetString());
        Assert.Equal(["10.0.0.7", "10.0.0.8"], members.Order());
    }

    [Fact]
    public async Task A_load_balancer_another_gateway_changed_meanwhile_is_read_again_not_taken_from_memory()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.AddMemberAsync(poolId, "10.0.0.7");
        await using (var otherGateway = DocumentStore.For(options => options.ConfigureElbStore(fixture.Services.Postgres, GatewayFixture.Schema)))
        await using (var session = otherGateway.LightweightSession())
        {
            var stream = await session.Events.FetchForExclusiveWriting<Elb.Commands.LoadBalancers.LoadBalancer>(loadBalancerId);
            stream.AppendOne(new BackendServerAdded(Guid.NewGuid(), poolId, _api.Project, loadBalancerId, "", "10.0.0.9", 80, 1, "ip",
                null, null, "az-1", null, MemberOperatingStatus.NoMonitor, false, DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await _api.PostAsync($"elb/pools/{poolId}/members", """{"member": {"address": "10.0.0.9", "protocol_port": 80}}""", 409);
    }
}
