namespace Elb.IntegrationTests.Limits;

/// <summary>Per-project quotas as ELB v3 shows them: read by the project, changed by a system admin, enforced on every add.</summary>
[Collection(GatewayCollection.Name)]
public sealed class QuotaTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_system_admin_sets_a_projects_quotas_and_adding_past_them_is_refused_with_the_quota_named()
    {
        var api = new ElbApi(fixture.Gateway);
        var defaults = (await api.GetAsync("elb/quotas")).GetProperty("quota");
        Assert.Equal((api.Project, 50, 492), (defaults.GetProperty("project_id").GetString(),
            defaults.GetProperty("loadbalancer").GetInt32(), defaults.GetProperty("members_per_pool").GetInt32()));
        await api.PutAsync("elb/quotas", """{"quota": {"loadbalancer": 1}}""", 403);
        var admin = ElbApi.SystemAdmin(fixture.Gateway);
        await admin.PutAsync($"/v3/{api.Project}/elb/quotas", """{"quota": {"loadbalancer": -2}}""", 400);
        var changed = (await admin.PutAsync($"/v3/{api.Project}/elb/quotas",
            """{"quota": {"loadbalancer": 1, "members_per_pool": 2}}""")).GetProperty("quota");
        Assert.Equal((1, 2, 200), (changed.GetProperty("loadbalancer").GetInt32(), changed.GetProperty("members_per_pool").GetInt32(),
            changed.GetProperty("listener").GetInt32()));

        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        await api.AddMemberAsync(poolId, "10.0.0.71");
        await api.AddMemberAsync(poolId, "10.0.0.72");
        var before = await fixture.CountEventsAsync();

        var secondLoadBalancer = await api.PostAsync("elb/loadbalancers",
            """{"loadbalancer": {"vpc_id": "vpc-1", "availability_zone_list": ["az-1"]}}""", 409);
        var thirdMember = await api.PostAsync($"elb/pools/{poolId}/members", """{"member": {"address": "10.0.0.73", "protocol_port": 80}}""", 409);

        Assert.Equal("ELB.QuotaExceeded", secondLoadBalancer.GetProperty("error_code").GetString());
        Assert.Contains("'loadbalancer' is 1", secondLoadBalancer.GetProperty("detail").GetString());
        Assert.Contains("'members_per_pool' is 2", thirdMember.GetProperty("detail").GetString());
        Assert.Equal(before, await fixture.CountEventsAsync());
        var details = (await api.GetAsync("elb/quotas/details?quota_key=member&quota_key=loadbalancer")).GetProperty("quotas");
        Assert.Equal(["loadbalancer:1", "member:2"], details.EnumerateArray().Select(q =>
            $"{q.GetProperty("quota_key").GetString()}:{q.GetProperty("used").GetInt32()}"));
        Assert.Equal(1, details[0].GetProperty("quota_limit").GetInt32());
    }
}
