using Elb.DataPlane.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.Routing;

/// <summary>A node whose copy of a load balancer stays different from the control plane's reloads it by itself.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SelfHealTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task A_node_that_lost_a_load_balancers_state_without_a_further_event_reloads_it_from_the_gateway()
    {
        await using var node = await fixture.StartDataPlaneAsync($"heal-{Guid.NewGuid():N}"[..20],
            builder => builder.UseSetting("DataPlane:DigestCheckSeconds", "1"));
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        await _api.AddMemberAsync(await _api.CreatePoolAsync(loadBalancerId), "127.0.0.1", 8080);
        using var admin = node.Admin();
        await Convergence.WaitAsync(fixture, admin, loadBalancerId, Within);

        // As after a lost event: the node's copy differs, and no later event will reveal a gap.
        var table = node.Host.Services.GetRequiredService<RoutingTable>();
        table.Forget(loadBalancerId, table.Current.AppliedVersion(loadBalancerId));
        Assert.Null(await Convergence.NodeDigestAsync(admin, loadBalancerId));

        await Convergence.WaitAsync(fixture, admin, loadBalancerId, TimeSpan.FromSeconds(10));
    }
}
