using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Microsoft.Extensions.Time.Testing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class RoutingSimulationTests
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

    [Fact]
    public void Round_robin_1_2_5_splits_8000_requests_exactly()
    {
        var route = Weighted(LbAlgorithm.RoundRobin, 1, 2, 5);

        var result = RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(8000, null, null));

        Assert.Equal([1000, 2000, 5000], result.Members.Select(m => m.Count));
        Assert.Equal([0.125, 0.25, 0.625], result.Members.Select(m => m.Share));
    }

    [Fact]
    public void Least_connections_with_open_connections_fills_by_weight()
    {
        var route = Weighted(LbAlgorithm.LeastConnections, 1, 3);

        Assert.Equal([250, 750], RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(1000, null, null)).Members.Select(m => m.Count));
    }

    [Fact]
    public void Source_ip_sends_each_client_to_one_member_and_unroutable_requests_are_counted()
    {
        var route = Weighted(LbAlgorithm.SourceIp, 1, 1, 1);

        var oneClient = RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(30, ["9.9.9.9"], null));
        var nowhere = RoutingSimulation.Run(Pools.Runtime(Weighted(LbAlgorithm.SourceIp, 0, 0)), new SimulationRequest(5, null, null));

        Assert.Single(oneClient.Members, m => m.Count == 30);
        Assert.Equal(5, nowhere.Unrouted);
    }

    [Fact]
    public void Simulating_leaves_the_live_counters_untouched()
    {
        var table = new RoutingTable();
        var runtime = new RoutingRuntime(table, new LocalHealth(), new FakeTimeProvider(T0), new ScriptedRandom(0));
        var route = Weighted(LbAlgorithm.LeastConnections, 1, 1);

        RoutingSimulation.Run(runtime.Detached(route, new ScriptedRandom(0)), new SimulationRequest(100, null, null));

        Assert.All(runtime.For(route).Counters, c => Assert.Equal(0, c.Active));
    }
}
