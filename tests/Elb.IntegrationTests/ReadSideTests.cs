using System.Text.Json;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class ReadSideTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task Load_balancers_are_found_by_a_backend_servers_address_or_id()
    {
        await _api.RegisterSubnetAsync();
        await _api.RegisterServerAsync("ecs-7", "10.0.0.7");
        var web = await _api.CreateLoadBalancerAsync("web");
        var api = await _api.CreateLoadBalancerAsync("api");
        var webPool = await _api.CreatePoolAsync(web);
        var apiPool = await _api.CreatePoolAsync(api, "TCP");
        await _api.AddInstanceMemberAsync(webPool, "ecs-7");
        await _api.AddInstanceMemberAsync(apiPool, "ecs-7", 9000);
        await _api.AddMemberAsync(webPool, "10.0.0.8");

        var byAddress = (await _api.GetAsync("elb/members?address=10.0.0.7")).GetProperty("members");
        var byServer = (await _api.GetAsync("elb/members?instance_id=ecs-7&loadbalancer_id=" + api)).GetProperty("members");
        var served = (await _api.GetAsync("inventory/servers/ecs-7/loadbalancers")).GetProperty("loadbalancers");

        Assert.Equal(["api", "web"], byAddress.EnumerateArray().Select(m => m.GetProperty("loadbalancer_name").GetString()).Order());
        Assert.All(byAddress.EnumerateArray(), m => Assert.NotEqual(Guid.Empty, m.GetProperty("pool_id").GetGuid()));
        Assert.Equal(9000, Assert.Single(byServer.EnumerateArray()).GetProperty("protocol_port").GetInt32());
        Assert.Equal(new[] { api, web }.Order(), served.EnumerateArray().Select(lb => lb.GetProperty("id").GetGuid()).Order());
        Assert.Empty((await new ElbApi(fixture.Gateway).GetAsync("elb/members?address=10.0.0.7")).GetProperty("members").EnumerateArray());
        var firstPage = await _api.GetAsync("elb/members?address=10.0.0.7&limit=1");
        Assert.Single(firstPage.GetProperty("members").EnumerateArray());
        Assert.NotNull(firstPage.GetProperty("page_info").GetProperty("next_marker").GetString());
    }

    [Fact]
    public async Task A_load_balancers_history_lists_every_accepted_change_with_who_and_when_filtered_and_paged()
    {
        await _api.RegisterSubnetAsync();
        var created = await _api.PostAsync("elb/loadbalancers",
            """{"loadbalancer": {"name": "audited", "vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-1", "availability_zone_list": ["az-1"], "ip_target_enable": true}}""");
        var loadBalancerId = ElbApi.Id(created, "loadbalancer");
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var member = await _api.AddMemberAsync(poolId, "10.0.0.9");
        await _api.PutAsync($"elb/pools/{poolId}/members/{member}", """{"member": {"weight": 30}}""");
        await _api.PostAsync($"elb/pools/{poolId}/members", """{"member": {"address": "10.0.0.9", "protocol_port": 80}}""", 409);
        await _api.DeleteAsync($"elb/pools/{poolId}/members/{member}");

        var history = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history")).GetProperty("events");

        Assert.Equal(["LoadBalancerCreated", "BackendServerGroupCreated", "BackendServerAdded", "BackendServerUpdated", "BackendServerRemoved"],
            history.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2, 3, 4, 5], history.EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(_api.User!.Name, history[0].GetProperty("user").GetString());
        Assert.Equal(_api.User.Id, history[0].GetProperty("principal").GetProperty("user_id").GetString());
        Assert.False(string.IsNullOrEmpty(history[0].GetProperty("correlation_id").GetString()));
        Assert.Equal(30, history[3].GetProperty("data").GetProperty("weight").GetInt32());

        var added = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history?type=BackendServerAdded")).GetProperty("events");
        Assert.Equal(3, Assert.Single(added.EnumerateArray()).GetProperty("version").GetInt64());
        var page = await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history?from_version=2&to_version=4&limit=2");
        Assert.Equal([2L, 3], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal(4, page.GetProperty("page_info").GetProperty("next_from_version").GetInt64());

        await _api.DeleteAsync($"elb/pools/{poolId}");
        await _api.DeleteAsync($"elb/loadbalancers/{loadBalancerId}");
        Assert.Equal(7, (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history")).GetProperty("events").GetArrayLength());
        await new ElbApi(fixture.Gateway).GetAsync($"elb/loadbalancers/{loadBalancerId}/history", 404);
    }

    [Fact]
    public async Task The_projects_history_runs_in_global_order_across_load_balancers_and_pages_by_sequence()
    {
        var first = await _api.CreateLoadBalancerWithSubnetAsync("first");
        var second = await _api.CreateLoadBalancerAsync("second");
        await _api.CreatePoolAsync(first);
        await _api.CreatePoolAsync(second);

        var all = (await _api.GetAsync("elb/history")).GetProperty("events").EnumerateArray().ToList();
        var sequences = all.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        var afterFirst = (await _api.GetAsync($"elb/history?after_sequence={sequences[0]}&limit=2")).GetProperty("events");

        Assert.Equal([first, second, first, second], all.Select(e => e.GetProperty("loadbalancer_id").GetGuid()));
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Skip(1).Take(2), afterFirst.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Empty((await new ElbApi(fixture.Gateway).GetAsync("elb/history")).GetProperty("events").EnumerateArray());

        // a deleted load balancer's changes stay in the project's history and its own
        var deleted = await _api.CreateLoadBalancerAsync("deleted");
        await _api.DeleteAsync($"elb/loadbalancers/{deleted}");
        var later = (await _api.GetAsync($"elb/history?after_sequence={sequences[^1]}")).GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("loadbalancer_id").GetGuid(), e.GetProperty("type").GetString()));
        Assert.Equal([(deleted, "LoadBalancerCreated"), (deleted, "LoadBalancerDeleted")], later);
        Assert.Equal(2, (await _api.GetAsync($"elb/loadbalancers/{deleted}/history")).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Time_travel_rebuilds_a_load_balancer_and_a_pool_as_they_were()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.AddMemberAsync(poolId, "10.0.0.11", weight: 5);
        await Task.Delay(50);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await _api.AddMemberAsync(poolId, "10.0.0.12");
        await _api.PutAsync($"elb/loadbalancers/{loadBalancerId}", """{"loadbalancer": {"name": "renamed"}}""");

        var atVersion3 = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}?version=3")).GetProperty("loadbalancer");
        var then = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}?as_of={Uri.EscapeDataString(between.ToString("O"))}")).GetProperty("loadbalancer");
        var poolThen = (await _api.GetAsync($"elb/pools/{poolId}?as_of={Uri.EscapeDataString(between.ToString("O"))}")).GetProperty("pool");
        var now = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}")).GetProperty("loadbalancer");

        Assert.Equal(3, atVersion3.GetProperty("version").GetInt64());
        Assert.Equal(["10.0.0.11"], Members(atVersion3));
        Assert.Equal(["10.0.0.11"], Members(then));
        Assert.Equal("web", then.GetProperty("loadbalancer").GetProperty("name").GetString());
        Assert.Equal(["10.0.0.11"], poolThen.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString()));
        Assert.Equal("renamed", now.GetProperty("name").GetString());
        await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}?as_of=2001-01-01T00:00:00Z", 404);
    }

    private static IEnumerable<string?> Members(JsonElement loadBalancerAsOf) =>
        loadBalancerAsOf.GetProperty("pools")[0].GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString());
}
