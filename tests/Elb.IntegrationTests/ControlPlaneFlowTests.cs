using System.Text.Json;
using Elb.Commands.Inventory;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class ControlPlaneFlowTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> StreamAsync(Guid loadBalancerId)
    {
        await using var session = fixture.Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Events.FetchStreamAsync(loadBalancerId);
    }

    [Fact]
    public async Task Rule7_fifty_parallel_adds_when_480_exist_let_exactly_12_in()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var pools = new[] { await _api.CreatePoolAsync(loadBalancerId), await _api.CreatePoolAsync(loadBalancerId) };
        for (var batch = 0; batch < 3; batch++)
        {
            var size = batch < 2 ? 200 : 80;
            var members = string.Join(", ", Enumerable.Range(0, size).Select(i =>
                $$"""{"address": "10.{{batch}}.{{i / 250}}.{{i % 250 + 1}}", "protocol_port": 80}"""));
            await _api.PostAsync($"elb/pools/{pools[batch % 2]}/members/batch-add", $$"""{"members": [{{members}}]}""");
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _api.PostConcurrentlyAsync(
            $"elb/pools/{pools[i % 2]}/members", $$$"""{"member": {"address": "10.9.0.{{{i + 1}}}", "protocol_port": 80}}""")));

        Assert.Equal(12, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a =>
        {
            Assert.Equal(409, a.Status);
            Assert.Equal("ELB.MemberLimitReached", a.Body.GetProperty("error_code").GetString());
        });
        var counted = 0;
        foreach (var pool in pools) counted += (await _api.GetAsync($"elb/pools/{pool}/members")).GetProperty("members").GetArrayLength();
        Assert.Equal(492, counted);
    }

    [Fact]
    public async Task Instance_members_come_from_the_inventory_and_a_server_stop_is_recorded_for_the_data_plane()
    {
        await _api.RegisterSubnetAsync();
        await _api.RegisterServerAsync("srv-1", "10.0.0.21");
        var loadBalancerId = await _api.CreateLoadBalancerAsync(ipAsBackend: false);
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var member = (await _api.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"instance_id": "srv-1", "protocol_port": 8080, "name": "app-1"}}""")).GetProperty("member");
        Assert.Equal(("10.0.0.21", "instance", "az-1", "app-1"), (member.GetProperty("address").GetString(),
            member.GetProperty("member_type").GetString(), member.GetProperty("availability_zone").GetString(),
            member.GetProperty("name").GetString()));

        var server = (await _api.PostAsync("inventory/servers/srv-1/action", """{"action": "stop"}""", 200)).GetProperty("server");

        Assert.Equal("stopped", server.GetProperty("status").GetString());
        var powerChanged = Assert.IsType<BackendServerPowerChanged>((await StreamAsync(loadBalancerId))[^1].Data);
        Assert.Equal(("srv-1", "stopped", member.GetProperty("id").GetGuid()), (powerChanged.ServerId, powerChanged.Action, powerChanged.MemberId));
    }

    [Fact]
    public async Task A_monitored_slow_start_member_is_offline_until_reported_healthy_then_ramps_and_the_status_tree_follows()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId, extra: """, "slow_start": {"enable": true, "duration": 60}""");
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 2, "timeout": 1, "max_retries": 1}}""");
        var first = await _api.AddMemberAsync(poolId, "127.0.0.31");
        var second = (await _api.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"address": "127.0.0.32", "protocol_port": 80, "availability_zone": "az-2"}}""")).GetProperty("member");
        Assert.Equal(("OFFLINE", "pending"), (second.GetProperty("operating_status").GetString(),
            second.GetProperty("slow_start").GetProperty("state").GetString()));
        var zones = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/statuses"))
            .GetProperty("statuses").GetProperty("loadbalancer").GetProperty("availability_zones");
        Assert.False(zones[1].GetProperty("has_healthy_member").GetBoolean());

        var secondId = second.GetProperty("id").GetGuid();
        var healthy = (await ElbApi.Node(fixture.Gateway, _api.Project).PostAsync($"elb/pools/{poolId}/members/{secondId}/health-reports",
            """{"health_report": {"healthy": true, "node_id": "node1"}}""", 200)).GetProperty("member");
        await ElbApi.Node(fixture.Gateway, _api.Project).PostAsync($"elb/pools/{poolId}/members/{secondId}/health-reports",
            """{"health_report": {"healthy": true, "node_id": "node2"}}""", 200);

        Assert.Equal(("ONLINE", "active"), (healthy.GetProperty("operating_status").GetString(),
            healthy.GetProperty("slow_start").GetProperty("state").GetString()));
        var slowStart = healthy.GetProperty("slow_start");
        Assert.Equal(TimeSpan.FromSeconds(60), slowStart.GetProperty("ends_at").GetDateTimeOffset() - slowStart.GetProperty("started_at").GetDateTimeOffset());
        var events = await StreamAsync(loadBalancerId);
        Assert.Equal(1, events.Count(e => e.Data is Elb.Commands.HealthChecks.MemberHealthChanged));
        Assert.Equal(["none", "active"], (await _api.GetAsync($"elb/pools/{poolId}/members")).GetProperty("members")
            .EnumerateArray().Select(m => m.GetProperty("slow_start").GetProperty("state").GetString()));
        Assert.NotEqual(Guid.Empty, first);
    }

    [Fact]
    public async Task Enabling_sticky_sessions_answers_with_a_warning()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);

        var updated = await _api.PutAsync($"elb/pools/{poolId}",
            """{"pool": {"session_persistence": {"type": "APP_COOKIE", "cookie_name": "JSESSIONID"}}}""");
        var cleared = await _api.PutAsync($"elb/pools/{poolId}", """{"pool": {"session_persistence": null}}""");

        Assert.Contains("unbalanced", updated.GetProperty("warnings")[0].GetString());
        Assert.Equal(1440, updated.GetProperty("pool").GetProperty("session_persistence").GetProperty("persistence_timeout").GetInt32());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("pool").GetProperty("session_persistence").ValueKind);
        Assert.False(cleared.TryGetProperty("warnings", out _));
    }

    [Fact]
    public async Task Ip_as_backend_is_enabled_later_by_put_and_then_takes_address_members()
    {
        await _api.RegisterSubnetAsync();
        var loadBalancerId = await _api.CreateLoadBalancerAsync(ipAsBackend: false);
        var poolId = await _api.CreatePoolAsync(loadBalancerId);

        var enabled = (await _api.PutAsync($"elb/loadbalancers/{loadBalancerId}",
            """{"loadbalancer": {"ip_target_enable": true, "name": "renamed"}}""")).GetProperty("loadbalancer");
        await _api.AddMemberAsync(poolId, "172.16.5.9");

        Assert.True(enabled.GetProperty("ip_target_enable").GetBoolean());
        Assert.Equal("renamed", enabled.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Every_event_records_the_verified_principal_and_a_correlation_id()
    {
        await _api.RegisterSubnetAsync();
        var created = await _api.PostAsync("elb/loadbalancers",
            """{"loadbalancer": {"vpc_id": "vpc-1", "availability_zone_list": ["az-1"]}}""");

        var events = await StreamAsync(ElbApi.Id(created, "loadbalancer"));

        Assert.Equal(_api.User!.Name, Assert.Single(events).UserName);
        Assert.False(string.IsNullOrEmpty(events[0].CorrelationId));
        var principal = System.Text.Json.JsonSerializer.SerializeToElement(events[0].Headers!["principal"]);
        Assert.Equal(_api.User.Id, principal.GetProperty("user_id").GetString());
        Assert.Equal(_api.User.AccessKey, principal.GetProperty("access_key_id").GetString());
        Assert.Equal("aksk", principal.GetProperty("auth_method").GetString());
        Assert.Equal(_api.Project, principal.GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task Resources_are_listed_paged_updated_and_deleted()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var listener = ElbApi.Id(await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "protocol_port": 8080, "default_pool_id": "{{{poolId}}}"}}"""), "listener");
        var members = new[] { await _api.AddMemberAsync(poolId, "10.0.0.41"), await _api.AddMemberAsync(poolId, "10.0.0.42"),
            await _api.AddMemberAsync(poolId, "10.0.0.43") };

        var page1 = await _api.GetAsync($"elb/pools/{poolId}/members?limit=2");
        var next = page1.GetProperty("page_info").GetProperty("next_marker").GetString();
        var page2 = await _api.GetAsync($"elb/pools/{poolId}/members?limit=2&marker={next}");
        Assert.Equal(members, page1.GetProperty("members").EnumerateArray().Concat(page2.GetProperty("members").EnumerateArray())
            .Select(m => m.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("page_info").GetProperty("next_marker").ValueKind);
        Assert.Equal(listener, (await _api.GetAsync($"elb/listeners?loadbalancer_id={loadBalancerId}")).GetProperty("listeners")[0].GetProperty("id").GetGuid());

        var renamed = await _api.PutAsync($"elb/pools/{poolId}/members/{members[0]}", """{"member": {"name": "primary", "weight": 10}}""");
        Assert.Equal(("primary", 10), (renamed.GetProperty("member").GetProperty("name").GetString(), renamed.GetProperty("member").GetProperty("weight").GetInt32()));

        foreach (var member in members) await _api.DeleteAsync($"elb/pools/{poolId}/members/{member}");
        await _api.PutAsync($"elb/listeners/{listener}", """{"listener": {"default_pool_id": null}}""");
        await _api.DeleteAsync($"elb/listeners/{listener}");
        await _api.DeleteAsync($"elb/pools/{poolId}");
        await _api.DeleteAsync($"elb/loadbalancers/{loadBalancerId}");

        await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}", 404);
        await _api.GetAsync($"elb/pools/{poolId}/members/{members[0]}", 404);
        Assert.Empty((await _api.GetAsync("elb/loadbalancers")).GetProperty("loadbalancers").EnumerateArray());
    }
}
