using System.Text.Json;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class ResourceApiTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task A_load_balancer_pool_and_member_are_created_and_read_back_in_the_ELB_v3_shape()
    {
        await _api.RegisterSubnetAsync();
        var created = await _api.PostAsync("elb/loadbalancers",
            """{"loadbalancer": {"name": "web", "vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-1", "availability_zone_list": ["az-1", "az-2"], "guaranteed": true, "ip_target_enable": true}}""");
        var loadBalancer = created.GetProperty("loadbalancer");
        Assert.Equal("ACTIVE", loadBalancer.GetProperty("provisioning_status").GetString());
        Assert.Equal("ONLINE", loadBalancer.GetProperty("operating_status").GetString());
        var loadBalancerId = loadBalancer.GetProperty("id").GetGuid();

        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var member = (await _api.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.1.7", "protocol_port": 8080, "weight": 5}}""")).GetProperty("member");
        var memberId = member.GetProperty("id").GetGuid();

        var readLoadBalancer = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}")).GetProperty("loadbalancer");
        Assert.Equal("web", readLoadBalancer.GetProperty("name").GetString());
        Assert.Equal(["az-1", "az-2"], readLoadBalancer.GetProperty("availability_zone_list").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(poolId, readLoadBalancer.GetProperty("pools")[0].GetProperty("id").GetGuid());
        // a member in no zone of the load balancer leaves az-1 and az-2 without a healthy one: the resource says what /statuses says
        var tree = (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/statuses")).GetProperty("statuses").GetProperty("loadbalancer");
        Assert.Equal(("DEGRADED", "DEGRADED"), (readLoadBalancer.GetProperty("operating_status").GetString(),
            tree.GetProperty("operating_status").GetString()));

        var readPool = (await _api.GetAsync($"elb/pools/{poolId}")).GetProperty("pool");
        Assert.Equal(loadBalancerId, readPool.GetProperty("loadbalancer_id").GetGuid());
        Assert.Equal(("HTTP", "ROUND_ROBIN"), (readPool.GetProperty("protocol").GetString(), readPool.GetProperty("lb_algorithm").GetString()));
        Assert.Equal(memberId, readPool.GetProperty("members")[0].GetProperty("id").GetGuid());

        var members = (await _api.GetAsync($"elb/pools/{poolId}/members")).GetProperty("members");
        Assert.Equal(memberId, Assert.Single(members.EnumerateArray()).GetProperty("id").GetGuid());

        var readMember = (await _api.GetAsync($"elb/pools/{poolId}/members/{memberId}")).GetProperty("member");
        Assert.Equal(("10.0.1.7", 8080, 5), (readMember.GetProperty("address").GetString(),
            readMember.GetProperty("protocol_port").GetInt32(), readMember.GetProperty("weight").GetInt32()));
        Assert.Equal(poolId, readMember.GetProperty("pool_id").GetGuid());
    }

    [Theory]
    [InlineData("elb/loadbalancers/{0}", "ELB.LoadBalancerNotFound")]
    [InlineData("elb/pools/{0}", "ELB.PoolNotFound")]
    [InlineData("elb/pools/{0}/members", "ELB.PoolNotFound")]
    public async Task Unknown_ids_are_404_problems(string path, string errorCode)
    {
        var problem = await _api.GetAsync(string.Format(path, Guid.NewGuid()), 404);

        AssertProblem(problem, 404, errorCode);
    }

    [Fact]
    public async Task An_unknown_member_of_a_known_pool_is_a_404_problem()
    {
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());

        AssertProblem(await _api.GetAsync($"elb/pools/{poolId}/members/{Guid.NewGuid()}", 404), 404, "ELB.MemberNotFound");
    }

    [Fact]
    public async Task Resources_of_another_project_are_invisible()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var otherProject = new ElbApi(fixture.Gateway);

        AssertProblem(await otherProject.GetAsync($"elb/loadbalancers/{loadBalancerId}", 404), 404, "ELB.LoadBalancerNotFound");
        AssertProblem(await otherProject.GetAsync($"elb/pools/{poolId}", 404), 404, "ELB.PoolNotFound");
        AssertProblem(await otherProject.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.1.9", "protocol_port": 80}}""", 404), 404, "ELB.PoolNotFound");
    }

    [Theory]
    [InlineData("elb/loadbalancers", """{"loadbalancer": {"name": "web", """)]
    [InlineData("elb/pools", """{"pool": [1, 2""")]
    [InlineData("elb/loadbalancers", "not json at all")]
    public async Task Malformed_json_is_a_400_problem(string path, string body)
    {
        AssertProblem(await _api.PostAsync(path, body, 400), 400, "ELB.MalformedRequest");
    }

    [Theory]
    [InlineData("elb/loadbalancers", """{}""", "'loadbalancer'")]
    [InlineData("elb/loadbalancers", """{"loadbalancer": {"name": "web", "availability_zone_list": ["az-1"]}}""", "vpc_id")]
    [InlineData("elb/pools", """{"pool": {"protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}""", "loadbalancer_id")]
    public async Task A_missing_required_field_is_a_400_problem_naming_it(string path, string body, string field)
    {
        var problem = await _api.PostAsync(path, body, 400);

        AssertProblem(problem, 400, "ELB.MissingField");
        Assert.Contains(field, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_member_without_address_is_a_400_problem_and_appends_nothing()
    {
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());

        var problem = await _api.PostAsync($"elb/pools/{poolId}/members", """{"member": {"protocol_port": 80}}""", 400);

        AssertProblem(problem, 400, "ELB.MissingField");
        Assert.Contains("member.address", problem.GetProperty("detail").GetString());
        Assert.Empty((await _api.GetAsync($"elb/pools/{poolId}/members")).GetProperty("members").EnumerateArray());
    }

    private static void AssertProblem(JsonElement problem, int status, string errorCode)
    {
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(errorCode, problem.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        // what the official SDKs read
        Assert.Equal(problem.GetProperty("detail").GetString(), problem.GetProperty("error_msg").GetString());
    }

    [Fact]
    public async Task Health_monitors_are_listed_and_filtered_by_pool_and_type_as_ELB_v3_lists_them()
    {
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var (http, tcp) = (await _api.CreatePoolAsync(loadBalancerId), await _api.CreatePoolAsync(loadBalancerId, "TCP"));
        foreach (var (pool, type) in new[] { (http, "HTTP"), (tcp, "TCP") })
        {
            await _api.PostAsync("elb/healthmonitors",
                $$$"""{"healthmonitor": {"pool_id": "{{{pool}}}", "type": "{{{type}}}", "delay": 5, "timeout": 3, "max_retries": 2}}""");
        }

        Assert.Equal(2, (await _api.GetAsync("elb/healthmonitors")).GetProperty("healthmonitors").GetArrayLength());
        var byPool = (await _api.GetAsync($"elb/healthmonitors?pool_id={tcp}")).GetProperty("healthmonitors");
        Assert.Equal("TCP", Assert.Single(byPool.EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal(http, Assert.Single((await _api.GetAsync("elb/healthmonitors?type=HTTP")).GetProperty("healthmonitors")
            .EnumerateArray()).GetProperty("pools")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Members_are_updated_and_deleted_in_batches_all_or_none()
    {
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());
        var (a, b) = (await _api.AddMemberAsync(poolId, "10.0.3.1"), await _api.AddMemberAsync(poolId, "10.0.3.2"));

        var updated = await _api.PostAsync($"elb/pools/{poolId}/members/batch-update",
            $$$"""{"members": [{"id": "{{{a}}}", "weight": 7}, {"id": "{{{b}}}", "name": "second"}]}""", 200);
        Assert.Equal([7, 1], updated.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("weight").GetInt32()));
        var events = await fixture.CountEventsAsync();
        var refused = await _api.PostAsync($"elb/pools/{poolId}/members/batch-delete",
            $$$"""{"members": [{"id": "{{{a}}}"}, {"id": "{{{Guid.NewGuid()}}}"}]}""", 404);
        Assert.Equal("ELB.MemberNotFound", refused.GetProperty("error_code").GetString());
        Assert.Equal(events, await fixture.CountEventsAsync());

        var deleted = await _api.PostAsync($"elb/pools/{poolId}/members/batch-delete",
            $$$"""{"members": [{"id": "{{{a}}}"}, {"id": "{{{b}}}"}]}""", 200);
        Assert.All(deleted.GetProperty("members").EnumerateArray(), m => Assert.Equal("successful", m.GetProperty("ret_status").GetString()));
        Assert.Equal(0, (await _api.GetAsync($"elb/pools/{poolId}/members")).GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task Availability_zones_are_the_zones_of_the_projects_subnets_as_ELB_v3_lists_them()
    {
        await _api.RegisterSubnetAsync("subnet-a", "10.0.4.0/24", zone: "az-2");
        await _api.RegisterSubnetAsync("subnet-b", "10.0.5.0/24", zone: "az-1");
        await _api.RegisterSubnetAsync("subnet-c", "10.0.6.0/24", zone: "az-2");

        var zones = (await _api.GetAsync("elb/availability-zones")).GetProperty("availability_zones")[0];

        Assert.Equal(["az-1", "az-2"], zones.EnumerateArray().Select(z => z.GetProperty("code").GetString()));
        Assert.Equal(("ACTIVE", "center"), (zones[0].GetProperty("state").GetString(), zones[0].GetProperty("public_border_group").GetString()));
        Assert.Equal(0, (await _api.GetAsync("elb/availability-zones?public_border_group=edge-1")).GetProperty("availability_zones")[0].GetArrayLength());
    }

    [Fact]
    public async Task A_member_given_by_address_and_subnet_is_the_server_there_as_ELB_v3_adds_it()
    {
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());
        await _api.RegisterServerAsync("ecs-7", "10.0.7.7");

        var member = (await _api.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.7.7", "subnet_cidr_id": "subnet-1", "protocol_port": 80}}""")).GetProperty("member");

        Assert.Equal(("instance", "ecs-7"), (member.GetProperty("member_type").GetString(), member.GetProperty("instance_id").GetString()));
        var problem = await _api.PostAsync($"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.7.8", "subnet_cidr_id": "subnet-1", "protocol_port": 80}}""", 404);
        Assert.Equal("ELB.ServerNotFound", problem.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Lists_filter_by_any_field_repeated_for_any_of_and_page_backwards_as_ELB_v3_does()
    {
        await _api.RegisterSubnetAsync();
        var ids = new List<Guid>();
        foreach (var name in new[] { "a", "b", "c" }) ids.Add(await _api.CreateLoadBalancerAsync(name));
        var names = (await _api.GetAsync("elb/loadbalancers?name=a&name=c")).GetProperty("loadbalancers")
            .EnumerateArray().Select(lb => lb.GetProperty("name").GetString()).Order();
        Assert.Equal(["a", "c"], names);
        Assert.Equal(ids[1], Assert.Single((await _api.GetAsync($"elb/loadbalancers?id={ids[1]}")).GetProperty("loadbalancers")
            .EnumerateArray()).GetProperty("id").GetGuid());

        var sorted = ids.Select(i => i.ToString()).Order(StringComparer.Ordinal).ToList();
        var previous = (await _api.GetAsync($"elb/loadbalancers?limit=1&marker={sorted[2]}&page_reverse=true")).GetProperty("loadbalancers");
        Assert.Equal(sorted[1], Assert.Single(previous.EnumerateArray()).GetProperty("id").GetString());

        var (http, tcp) = (await _api.CreatePoolAsync(ids[0]), await _api.CreatePoolAsync(ids[1], "TCP"));
        await _api.CreatePoolAsync(ids[2], "UDP");
        var byLoadBalancer = (await _api.GetAsync($"elb/pools?loadbalancer_id={ids[0]}&loadbalancer_id={ids[1]}")).GetProperty("pools");
        Assert.Equal([http, tcp], byLoadBalancer.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).Order());
        Assert.Equal(tcp, Assert.Single((await _api.GetAsync("elb/pools?protocol=TCP&protocol=QUIC")).GetProperty("pools")
            .EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Every_answer_names_its_request_and_an_error_carries_the_same_id_as_the_SDKs_read_it()
    {
        using var client = TestIdentity.SignedClient(fixture.Gateway, TestIdentity.SystemAdmin.AccessKey, TestIdentity.SystemAdmin.SecretKey);
        using var ok = await client.GetAsync("/v3/projects");
        using var refused = await client.GetAsync($"/v3/{Guid.NewGuid():N}/elb/loadbalancers");

        Assert.False(string.IsNullOrEmpty(ok.Headers.GetValues("X-Request-Id").Single()));
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(refused.Headers.GetValues("X-Request-Id").Single(), problem.GetProperty("request_id").GetString());
        Assert.Equal(problem.GetProperty("detail").GetString(), problem.GetProperty("error_msg").GetString());
    }
}
