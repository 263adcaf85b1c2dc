using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Elb.IntegrationTests.Resilience;

/// <summary>A listener that cannot open degrades the node's health and is retried; the node and its other listeners serve on.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ListenerFaultTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task A_listener_whose_port_is_taken_shows_in_health_and_opens_once_the_port_is_free()
    {
        await using var node = await fixture.StartDataPlaneAsync($"fault-{Guid.NewGuid():N}"[..20]);
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId, "TCP");
        var address = IPAddress.Parse(node.AddressOf(await _api.VipOfAsync(loadBalancerId)));
        var (takenPort, freePort) = (Backends.FreePort(), Backends.FreePort());
        var squatter = new TcpListener(address, takenPort);
        squatter.Start();
        var taken = await ListenerAsync(loadBalancerId, poolId, takenPort);
        await ListenerAsync(loadBalancerId, poolId, freePort);

        await Eventually.Until(async () => (await HealthAsync(node)).Status == "Degraded" && (await HealthAsync(node)).Failing.Any(f => f.Contains(taken.ToString())),
            "the node's health names the listener that cannot open", Within, TimeSpan.FromMilliseconds(100));
        Assert.True(await AcceptsAsync(address, freePort), "the other listener serves meanwhile");

        squatter.Stop();
        await Eventually.Until(async () => (await HealthAsync(node)).Status == "Healthy",
            "the listener opens once its port is free, and the node is healthy again", Within, TimeSpan.FromMilliseconds(100));
        Assert.True(await AcceptsAsync(address, takenPort), "the listener serves");
    }

    private async Task<Guid> ListenerAsync(Guid loadBalancerId, Guid poolId, int port) => ElbApi.Id(await _api.PostAsync("elb/listeners",
        $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "TCP", "protocol_port": {{{port}}}, "default_pool_id": "{{{poolId}}}"}}"""),
        "listener");

    private static async Task<(string? Status, IReadOnlyList<string> Failing)> HealthAsync(DataPlaneNode node)
    {
        using var client = node.Host.Server.CreateClient();
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        var faults = health.GetProperty("checks").GetProperty("faults").GetProperty("data");
        return (health.GetProperty("status").GetString(), [.. faults.EnumerateObject().Select(f => f.Name)]);
    }

    private static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        var deadline = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(address, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }
}
