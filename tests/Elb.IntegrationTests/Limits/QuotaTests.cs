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

    [Fact]
    public async Task The_member_quota_counts_the_projects_members_across_its_load_balancers_and_a_removed_member_frees_its_place()
    {
        var api = new ElbApi(fixture.Gateway);
        Assert.Equal(0, await MembersUsedAsync(api));
        await ElbApi.SystemAdmin(fixture.Gateway).PutAsync($"/v3/{api.Project}/elb/quotas", """{"quota": {"member": 3}}""");
        var firstPool = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());
        var secondPool = await api.CreatePoolAsync(await api.CreateLoadBalancerAsync("second"));
        var removed = await api.AddMemberAsync(firstPool, "10.0.0.71");
        await api.AddMemberAsync(firstPool, "10.0.0.72");
        await api.AddMemberAsync(secondPool, "10.0.0.81");
        var otherProject = new ElbApi(fixture.Gateway);
        await otherProject.AddMemberAsync(await otherProject.CreatePoolAsync(await otherProject.CreateLoadBalancerWithSubnetAsync()), "10.0.0.91");

        var fourth = await api.PostAsync($"elb/pools/{secondPool}/members", """{"member": {"address": "10.0.0.82", "protocol_port": 80}}""", 409);
        Assert.Equal("ELB.QuotaExceeded", fourth.GetProperty("error_code").GetString());
        Assert.Contains("'member' is 3; this change would make it 4", fourth.GetProperty("detail").GetString());
        Assert.Equal(3, await MembersUsedAsync(api));

        await api.DeleteAsync($"elb/pools/{firstPool}/members/{removed}");
        await api.AddMemberAsync(secondPool, "10.0.0.82");
        Assert.Equal(3, await MembersUsedAsync(api));
    }

    private static async Task<int> MembersUsedAsync(ElbApi api) =>
        (await api.GetAsync("elb/quotas/details?quota_key=member")).GetProperty("quotas")[0].GetProperty("used").GetInt32();
}
