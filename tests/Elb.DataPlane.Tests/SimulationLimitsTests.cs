using Elb.DataPlane.LoadBalancing;

namespace Elb.DataPlane.Tests;

public class SimulationLimitsTests
{
    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(RoutingSimulation.MaxRequests + 1, 0, 0)]
    [InlineData(10, RoutingSimulation.MaxClients + 1, 0)]
    [InlineData(10, 0, RoutingSimulation.MaxClients + 1)]
    public void A_simulation_past_its_limits_is_refused_as_a_bad_request(int requests, int clientIps, int cookies)
    {
        var refusal = RoutingSimulation.Refusal(new SimulationRequest(requests,
            [.. Enumerable.Range(0, clientIps).Select(i => $"10.0.{i / 256}.{i % 256}")], [.. Enumerable.Range(0, cookies).Select(i => $"c{i}")]));

        Assert.Equal(("ELB.SimulationTooLarge", 400), (refusal?.ErrorCode, refusal?.Status));
    }

    [Fact]
    public void A_simulation_within_its_limits_runs()
    {
        var request = new SimulationRequest(RoutingSimulation.MaxRequests, [.. Enumerable.Range(0, RoutingSimulation.MaxClients).Select(i => $"c{i}")], null);

        Assert.Null(RoutingSimulation.Refusal(request));
        Assert.Null(RoutingSimulation.Refusal(new SimulationRequest(null, null, null)));
    }
}
