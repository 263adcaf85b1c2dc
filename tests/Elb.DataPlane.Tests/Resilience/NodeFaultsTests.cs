using Elb.DataPlane.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Elb.DataPlane.Tests.Resilience;

public class NodeFaultsTests
{
    [Fact]
    public async Task The_node_is_degraded_listing_what_fails_while_anything_fails()
    {
        var faults = Relays.Faults();
        var check = new NodeFaultsCheck(faults);
        faults.Report("listener a", new UnauthorizedAccessException("permission denied"));
        faults.Report("listener a", new UnauthorizedAccessException("permission denied"));
        faults.Report("probe b", new InvalidOperationException("boom"));

        var degraded = await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(["listener a", "probe b"], degraded.Data.Keys.Order());
        Assert.Equal(2, faults.Current["listener a"].Times);
        Assert.Contains("permission denied", (string)degraded.Data["listener a"]);

        faults.Clear("listener a");
        faults.Clear("probe b");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None)).Status);
    }
}
