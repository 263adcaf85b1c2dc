using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;

namespace Elb.IntegrationTests.Egress;

/// <summary>Members and probes never reach what the egress policy denies: refused by the API, and again by the node.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EgressTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    [Theory]
    [InlineData("169.254.169.254", 80, "ELB.EgressLinkLocal")]
    [InlineData("127.0.0.1", 5432, "ELB.EgressElbService")]
    [InlineData("127.0.0.1", 5672, "ELB.EgressElbService")]
    [InlineData("127.0.0.1", 5080, "ELB.EgressElbService")]
    [InlineData("224.0.0.5", 80, "ELB.EgressMulticast")]
    public async Task The_api_refuses_a_member_at_a_denied_address_and_records_nothing(string address, int port, string errorCode)
    {
        var poolId = await _api.CreatePoolAsync(await _api.CreateLoadBalancerWithSubnetAsync());
        var before = await fixture.CountEventsAsync();

        var problem = await _api.PostAsync($"elb/pools/{poolId}/members",
            $$$"""{"member": {"address": "{{{address}}}", "protocol_port": {{{port}}}}}""", 400);

        Assert.Equal(errorCode, problem.GetProperty("error_code").GetString());
        Assert.Equal(before, await fixture.CountEventsAsync());
    }

    [Fact]
    public async Task A_node_opens_no_connection_to_a_member_its_policy_denies_whatever_the_control_plane_accepted()
    {
        using var sentinel = new TcpListener(IPAddress.Loopback, 0);
        sentinel.Start();
        var sentinelPort = ((IPEndPoint)sentinel.LocalEndpoint).Port;
        var accepted = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var connection = await sentinel.AcceptTcpClientAsync();
                Interlocked.Increment(ref accepted);
            }
        });
        // The gateway's policy lets the member in; this node's denies its port, as after a policy change or a bad snapshot.
        await using var node = await fixture.StartDataPlaneAsync($"egress-{Guid.NewGuid():N}"[..20],
            builder => builder.UseSetting("Elb:Egress:Deny:0", $"127.0.0.1/32:{sentinelPort}"));
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var httpPool = await _api.CreatePoolAsync(loadBalancerId);
        var tcpPool = await _api.CreatePoolAsync(loadBalancerId, "TCP");
        foreach (var pool in new[] { httpPool, tcpPool }) await _api.AddMemberAsync(pool, "127.0.0.1", sentinelPort);
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{httpPool}}}", "type": "TCP", "delay": 1, "timeout": 1, "max_retries": 1}}""");
        var (httpPort, tcpPort) = (Backends.FreePort(), Backends.FreePort());
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "protocol_port": {{{httpPort}}}, "default_pool_id": "{{{httpPool}}}"}}""");
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "TCP", "protocol_port": {{{tcpPort}}}, "default_pool_id": "{{{tcpPool}}}"}}""");
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        var address = node.AddressOf(await _api.VipOfAsync(loadBalancerId));

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        int? answered = null;
        await Eventually.Until(async () =>
        {
            try
            {
                using var response = await client.GetAsync($"http://{address}:{httpPort}/");
                answered = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
            }
            return answered is not null;
        }, "the HTTP listener answers", Within, TimeSpan.FromMilliseconds(50));
        Assert.True(answered >= 500, $"the listener answered {answered}");
        using (var tcp = new TcpClient())
        {
            await ConnectWhenOpenAsync(tcp, address, tcpPort);
            var buffer = new byte[16];
            var read = await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, read);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(0, Volatile.Read(ref accepted));
        var metrics = await node.Admin().GetStringAsync("/metrics");
        foreach (var purpose in new[] { "proxy", "tcp", "probe" })
        {
            Assert.True(PrometheusText.Sum(metrics, "elb_egress_refused_total", ("rule", "ELB.EgressDenied"), ("purpose", purpose)) > 0,
                $"no refusal counted for {purpose}: {metrics}");
        }
    }

    private static async Task ConnectWhenOpenAsync(TcpClient tcp, string address, int port)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            try
            {
                await tcp.ConnectAsync(address, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
