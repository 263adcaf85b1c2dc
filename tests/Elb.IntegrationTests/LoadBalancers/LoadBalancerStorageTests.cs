using System.Text.Json;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.LoadBalancers;

[Collection(GatewayCollection.Name)]
public class LoadBalancerStorageTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    private IDocumentStore Store => fixture.Gateway.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task Members_are_stored_apart_from_the_snapshot_and_read_back_as_the_events_make_them()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync("stored-apart");
        var first = await _api.CreatePoolAsync(loadBalancerId);
        var second = await _api.CreatePoolAsync(loadBalancerId, protocol: "TCP", algorithm: "LEAST_CONNECTIONS");
        var removed = await _api.AddMemberAsync(first, "10.0.0.11");
        var reweighed = await _api.AddMemberAsync(first, "10.0.0.12");
        await _api.AddMemberAsync(second, "10.0.0.21");
        await _api.AddMemberAsync(first, "10.0.0.13");
        await _api.PutAsync($"elb/pools/{first}/members/{reweighed}", """{"member": {"weight": 7}}""");
        // a monitor sets every member of its pool offline until probed: a change to members no event names one by one
        var monitor = (await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{first}}}", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2}}"""))
            .GetProperty("healthmonitor").GetProperty("id").GetString();
        await _api.DeleteAsync($"elb/pools/{first}/members/{removed}");
        await _api.AddMemberAsync(first, "10.0.0.14");
        await _api.DeleteAsync($"elb/healthmonitors/{monitor}");
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{second}}}", "type": "TCP", "delay": 5, "timeout": 3, "max_retries": 2}}""");

        await using var session = Store.QuerySession();
        var stored = await session.LoadLoadBalancerAsync(loadBalancerId, CancellationToken.None);
        var fromEvents = await session.Events.AggregateStreamAsync<LoadBalancer>(loadBalancerId);
        Assert.Equal(JsonSerializer.Serialize(fromEvents, ElbJson.Options), JsonSerializer.Serialize(stored, ElbJson.Options));
        Assert.Equal(["10.0.0.12", "10.0.0.13", "10.0.0.14"], stored!.FindPool(first)!.Members.Select(m => m.Address));
        Assert.Equal(7, stored.FindPool(first)!.FindMember(reweighed)!.Weight);

        var document = await session.Json.FindByIdAsync<LoadBalancer>(loadBalancerId);
        Assert.DoesNotContain(reweighed.ToString(), document);
        Assert.DoesNotContain("\"Members\"", document);
        var members = await session.Query<StoredMember>().Where(m => m.LoadBalancerId == loadBalancerId).ToListAsync();
        Assert.Equal(4, members.Count);
    }

    [Fact]
    public async Task A_deleted_pool_or_load_balancer_leaves_no_stored_members_behind()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync("deleted");
        var kept = await _api.CreatePoolAsync(loadBalancerId);
        var deleted = await _api.CreatePoolAsync(loadBalancerId);
        await _api.AddMemberAsync(kept, "10.0.0.31");
        await _api.AddMemberAsync(deleted, "10.0.0.32");
        await _api.AddMemberAsync(deleted, "10.0.0.33");

        await _api.DeleteAsync($"elb/pools/{deleted}/delete-cascade");

        await using (var session = Store.QuerySession())
        {
            Assert.Empty(await session.Query<StoredMember>().Where(m => m.PoolId == deleted).ToListAsync());
            Assert.Single((await session.LoadLoadBalancerAsync(loadBalancerId, CancellationToken.None))!.FindPool(kept)!.Members);
        }

        await _api.PostAsync($"elb/loadbalancers/{loadBalancerId}/delete-cascade", "{}", 204);

        await using (var session = Store.QuerySession())
        {
            Assert.Null(await session.LoadLoadBalancerAsync(loadBalancerId, CancellationToken.None));
            Assert.Empty(await session.Query<StoredMember>().Where(m => m.LoadBalancerId == loadBalancerId).ToListAsync());
        }
    }
}
