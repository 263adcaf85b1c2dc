using System.Diagnostics;
using System.Text.Json;

namespace Elb.IntegrationTests.HealthChecks;

/// <summary>A member failing its probes goes OFFLINE within <c>delay × max_retries_down + timeout</c>, whatever status it had.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ProbeTruthTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task A_dead_member_reported_healthy_through_the_api_goes_offline_on_the_node_and_in_the_control_plane()
    {
        await using var node = await fixture.StartDataPlaneAsync($"truth-{Guid.NewGuid():N}"[..20]);
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.PostAsync("elb/healthmonitors", $$$"""
            {"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1,
             "max_retries_down": 2, "url_path": "/"}}
            """);
        // Nothing listens there: the node's probes fail from the start, while the member is still OFFLINE everywhere.
        var memberId = await _api.AddMemberAsync(poolId, "127.0.7.20", 8080);
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var reported = await ElbApi.Node(fixture.Gateway, _api.Project).PostAsync(
            $"elb/pools/{poolId}/members/{memberId}/health-reports", """{"health_report": {"healthy": true, "node_id": "by-hand"}}""", 200);
        Assert.Equal("ONLINE", reported.GetProperty("member").GetProperty("operating_status").GetString());
        var since = Stopwatch.StartNew();

        // delay × max_retries_down + timeout = 3 s, and a moment for the report to go round.
        var bound = TimeSpan.FromSeconds(1 * 2 + 1) + TimeSpan.FromSeconds(2);
        await Eventually.Until(async () => await ControlPlaneStatusAsync(poolId, memberId) == "OFFLINE",
            "the control plane shows the member OFFLINE", bound, TimeSpan.FromMilliseconds(50));
        await node.WaitForPoolAsync(poolId, pool => NodeStatus(pool, memberId) == "OFFLINE", bound);
        Assert.True(since.Elapsed <= bound, $"OFFLINE after {since.Elapsed}");
    }

    private async Task<string?> ControlPlaneStatusAsync(Guid poolId, Guid memberId) =>
        (await _api.GetAsync($"elb/pools/{poolId}/members/{memberId}")).GetProperty("member").GetProperty("operating_status").GetString();

    private static string? NodeStatus(string pool, Guid memberId) =>
        JsonDocument.Parse(pool).RootElement.GetProperty("pool").GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("id").GetGuid() == memberId).GetProperty("operating_status").GetString();
}
