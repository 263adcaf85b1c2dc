using System.Net.Http.Json;

namespace Elb.IntegrationTests.LoadBalancers;

/// <summary>Every load balancer has a VIP of its own, and nodes serve its listeners there and only there.</summary>
[Collection(GatewayCollection.Name)]
public sealed class VipTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static string Body(string subnet, string? vip = null) =>
        $$$"""{"loadbalancer": {"vpc_id": "vpc-1", {{{(subnet.Length > 0 ? $"\"vip_subnet_cidr_id\": \"{subnet}\", " : "")}}}{{{(vip is null ? "" : $"\"vip_address\": \"{vip}\", ")}}}"availability_zone_list": ["az-1"]}}""";

    [Fact]
    public async Task Two_projects_on_one_port_each_reach_only_their_own_backends_also_after_the_node_restarts()
    {
        await using var backends = await Backends.StartAsync(2);
        var (a, b) = (new ElbApi(fixture.Gateway), new ElbApi(fixture.Gateway));
        var port = Backends.FreePort();
        var (loadBalancerA, listenerA) = await ServeAsync(a, backends.Ports[0], port);
        var (loadBalancerB, _) = await ServeAsync(b, backends.Ports[1], port);
        var (vipA, vipB) = (await a.VipOfAsync(loadBalancerA), await b.VipOfAsync(loadBalancerB));
        Assert.NotEqual(vipA, vipB);
        var (nodeId, vipMap) = ($"vip-{Guid.NewGuid():N}"[..20], GatewayFixture.NextVipMap());

        for (var start = 0; start < 2; start++)
        {
            await using var node = await fixture.StartDataPlaneAsync(nodeId, vipMap: vipMap);
            await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerA, Within);
            await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerB, Within);

            Assert.Equal(["backend-0"], await AnswersAsync(new Uri($"http://{node.AddressOf(vipA)}:{port}/")));
            Assert.Equal(["backend-1"], await AnswersAsync(new Uri($"http://{node.AddressOf(vipB)}:{port}/")));
            await Eventually.Until(async () => (await a.GetAsync($"elb/listeners/{listenerA}")).GetProperty("listener")
                    .GetProperty("served_at").EnumerateArray().Any(s => s.GetString() == $"{node.AddressOf(vipA)}:{port}"),
                "the listener shows where the node serves it", Within, TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public async Task A_listener_the_node_cannot_open_says_so_and_why()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var backends = await Backends.StartAsync(1);
        var port = Backends.FreePort();
        var (loadBalancerId, listenerId) = await ServeAsync(api, backends.Ports[0], port);
        var vipMap = GatewayFixture.NextVipMap();
        var address = Elb.Commands.LoadBalancers.VipMap.Parse([vipMap])
            .LocalAddress(System.Net.IPAddress.Parse(await api.VipOfAsync(loadBalancerId)))!;
        using var squatter = new System.Net.Sockets.TcpListener(address, port);
        squatter.Start();

        await using var node = await fixture.StartDataPlaneAsync($"busy-{Guid.NewGuid():N}"[..20], vipMap: vipMap);

        System.Text.Json.JsonElement listener = default;
        await Eventually.Until(async () =>
        {
            listener = (await api.GetAsync($"elb/listeners/{listenerId}")).GetProperty("listener");
            return listener.GetProperty("operating_status_reasons").EnumerateArray()
                .Any(r => r.GetString()!.Contains($"cannot bind {address}:{port}"));
        }, "the listener says why it is not served", Within, TimeSpan.FromMilliseconds(200));
        Assert.NotEqual("ONLINE", listener.GetProperty("operating_status").GetString());
        Assert.DoesNotContain($"{address}:{port}", listener.GetProperty("served_at").EnumerateArray().Select(a => a.GetString()));
        var statuses = (await api.GetAsync($"elb/loadbalancers/{loadBalancerId}/statuses")).GetProperty("statuses")
            .GetProperty("loadbalancer").GetProperty("listeners")[0];
        Assert.Equal(listener.GetProperty("operating_status").GetString(), statuses.GetProperty("operating_status").GetString());
        var onNode = (await node.Admin().GetFromJsonAsync<System.Text.Json.JsonElement>("/routing")).GetProperty("loadbalancers")
            .EnumerateArray().Single(lb => lb.GetProperty("id").GetGuid() == loadBalancerId).GetProperty("listeners")[0];
        Assert.False(onNode.GetProperty("serving").GetBoolean());
        Assert.Contains("cannot bind", onNode.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_node_closes_a_listeners_port_when_the_listener_goes()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var backends = await Backends.StartAsync(1);
        var port = Backends.FreePort();
        var (loadBalancerId, listenerId) = await ServeAsync(api, backends.Ports[0], port);
        await using var node = await fixture.StartDataPlaneAsync($"close-{Guid.NewGuid():N}"[..20]);
        var url = new Uri($"http://{node.AddressOf(await api.VipOfAsync(loadBalancerId))}:{port}/");
        Assert.Equal(["backend-0"], await AnswersAsync(url));

        await api.PutAsync($"elb/listeners/{listenerId}", """{"listener": {"default_pool_id": null}}""");
        await api.DeleteAsync($"elb/listeners/{listenerId}");

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
        {
            try
            {
                (await client.GetAsync(url)).Dispose();
                return false;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }, "the port is closed", Within, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_VIP_is_the_address_asked_for_taken_once_across_projects_and_free_again_when_its_load_balancer_goes()
    {
        var (a, b) = (new ElbApi(fixture.Gateway), new ElbApi(fixture.Gateway));
        await a.RegisterSubnetAsync();
        await b.RegisterSubnetAsync();
        const string vip = "10.0.250.7";

        var created = await a.PostAsync("elb/loadbalancers", Body("subnet-1", vip));
        Assert.Equal(vip, created.GetProperty("loadbalancer").GetProperty("vip_address").GetString());
        var before = await fixture.CountEventsAsync();
        var problem = await b.PostAsync("elb/loadbalancers", Body("subnet-1", vip), 409);
        Assert.Equal("ELB.VipAddressInUse", problem.GetProperty("error_code").GetString());
        Assert.Equal(before, await fixture.CountEventsAsync());

        await a.DeleteAsync($"elb/loadbalancers/{ElbApi.Id(created, "loadbalancer")}");
        var again = await b.PostAsync("elb/loadbalancers", Body("subnet-1", vip));
        Assert.Equal(vip, again.GetProperty("loadbalancer").GetProperty("vip_address").GetString());
    }

    [Fact]
    public async Task Without_a_subnet_a_load_balancer_takes_its_VPCs_largest_and_without_one_is_refused()
    {
        var api = new ElbApi(fixture.Gateway);
        Assert.Equal("ELB.VipSubnetRequired",
            (await api.PostAsync("elb/loadbalancers", Body(""), 409)).GetProperty("error_code").GetString());
        await api.RegisterSubnetAsync("subnet-small", "10.0.240.0/28");
        await api.RegisterSubnetAsync("subnet-large", "10.0.241.0/24");

        var created = (await api.PostAsync("elb/loadbalancers", Body(""))).GetProperty("loadbalancer");

        Assert.Equal("subnet-large", created.GetProperty("vip_subnet_cidr_id").GetString());
        Assert.StartsWith("10.0.241.", created.GetProperty("vip_address").GetString());
    }

    private static async Task<(Guid LoadBalancer, Guid Listener)> ServeAsync(ElbApi api, int backendPort, int port)
    {
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        await api.AddMemberAsync(poolId, "127.0.0.1", backendPort);
        var listener = await api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "protocol_port": {{{port}}}, "default_pool_id": "{{{poolId}}}"}}""");
        return (loadBalancerId, ElbApi.Id(listener, "listener"));
    }

    /// <summary>The distinct answers of 20 requests, once the listener serves.</summary>
    private static async Task<string[]> AnswersAsync(Uri url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(async () =>
        {
            try
            {
                using var response = await client.GetAsync(url);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{url} serves", Within, TimeSpan.FromMilliseconds(50));
        var answers = new List<string>();
        for (var i = 0; i < 20; i++) answers.Add(await client.GetStringAsync(url));
        return [.. answers.Distinct()];
    }
}
