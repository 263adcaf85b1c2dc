using System.Net.Http.Json;
using System.Text.Json;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests;

/// <summary>Waits until a node's copy of a load balancer has the same digest as the control plane's.</summary>
public static class Convergence
{
    public static async Task<string> ControlPlaneDigestAsync(GatewayFixture fixture, Guid loadBalancerId)
    {
        await using var session = fixture.Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return RoutingDigest.Of((await session.LoadLoadBalancerAsync(loadBalancerId, CancellationToken.None))!);
    }

    public static async Task<string?> NodeDigestAsync(HttpClient admin, Guid loadBalancerId)
    {
        try
        {
            var routing = await admin.GetFromJsonAsync<JsonElement>("/routing");
            return routing.GetProperty("loadbalancers").EnumerateArray()
                .Where(lb => lb.GetProperty("id").GetGuid() == loadBalancerId)
                .Select(lb => lb.GetProperty("digest").GetString()).FirstOrDefault();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static async Task WaitAsync(GatewayFixture fixture, HttpClient admin, Guid loadBalancerId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        string? expected = null, actual = null;
        while (DateTime.UtcNow < deadline)
        {
            expected = await ControlPlaneDigestAsync(fixture, loadBalancerId);
            actual = await NodeDigestAsync(admin, loadBalancerId);
            if (actual == expected) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Node did not converge on load balancer {loadBalancerId} within {within}: control plane {expected}, node {actual ?? "(none)"}");
    }
}
