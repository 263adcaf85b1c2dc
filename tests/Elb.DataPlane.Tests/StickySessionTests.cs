using Elb.Commands.LoadBalancers;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests;

public class StickySessionTests
{
    private static RoutingRuntime Runtime(PoolRoute route, ManualClock clock)
    {
        var table = new RoutingTable();
        var runtime = new RoutingRuntime(table, new LocalHealth(), clock, new ScriptedRandom(0));
        runtime.For(route);
        return runtime;
    }

    [Fact]
    public void An_http_cookie_client_stays_on_its_member_while_eligible_and_moves_when_it_is_not()
    {
        var clock = new ManualClock(T0);
        var route = Weighted(LoadBalancingAlgorithms.RoundRobin, 1, 1, 1).WithSticky("HTTP_COOKIE");
        var runtime = Runtime(route, clock);
        var first = runtime.For(route).Choose(new ClientRequest("1.1.1.1"));
        var cookie = SessionAffinity.CookieValue(route.Members[first].Id);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(first, runtime.For(route).Choose(new ClientRequest("1.1.1.1", cookie))));

        var memberDown = route with { Members = route.Members.SetItem(first, route.Members[first] with { OperatingStatus = OperatingStatus.Offline }) };
        var moved = runtime.For(memberDown).Choose(new ClientRequest("1.1.1.1", cookie));
        Assert.NotEqual(first, moved);
        Assert.True(moved >= 0);
    }

    [Fact]
    public void A_source_ip_client_sticks_for_the_persistence_timeout_after_its_last_request()
    {
        var clock = new ManualClock(T0);
        var route = Weighted(LoadBalancingAlgorithms.RoundRobin, 1, 1).WithSticky("SOURCE_IP", minutes: 1) with { Protocol = "TCP" };
        var runtime = Runtime(route, clock).For(route);
        var member = runtime.Choose(new ClientRequest("2.2.2.2"));
        runtime.Choose(new ClientRequest("3.3.3.3"));

        clock.Now = T0.AddSeconds(50);
        Assert.Equal(member, runtime.Choose(new ClientRequest("2.2.2.2")));
        clock.Now = T0.AddSeconds(100);
        Assert.Equal(member, runtime.Choose(new ClientRequest("2.2.2.2")));

        clock.Now = T0.AddSeconds(200);
        runtime.Choose(new ClientRequest("4.4.4.4"));
        Assert.NotEqual(member, runtime.Choose(new ClientRequest("2.2.2.2")));
    }

    [Fact]
    public void An_app_cookie_value_maps_to_the_member_that_first_served_it()
    {
        var route = Weighted(LoadBalancingAlgorithms.RoundRobin, 1, 1, 1).WithSticky("APP_COOKIE", 60, "JSESSIONID");
        var runtime = Runtime(route, new ManualClock(T0)).For(route);

        var a = runtime.Choose(new ClientRequest("5.5.5.5", AppCookie: "session-a"));
        var b = runtime.Choose(new ClientRequest("5.5.5.5", AppCookie: "session-b"));

        Assert.NotEqual(a, b);
        Assert.Equal(a, runtime.Choose(new ClientRequest("6.6.6.6", AppCookie: "session-a")));
        Assert.Equal(b, runtime.Choose(new ClientRequest("7.7.7.7", AppCookie: "session-b")));
    }

    [Fact]
    public void Sticky_ties_survive_a_configuration_change_that_keeps_the_member()
    {
        var clock = new ManualClock(T0);
        var route = Weighted(LoadBalancingAlgorithms.RoundRobin, 1, 1, 1).WithSticky("SOURCE_IP") with { Protocol = "TCP" };
        var runtime = Runtime(route, clock);
        var member = route.Members[runtime.For(route).Choose(new ClientRequest("8.8.8.8"))].Id;

        var reweighted = route with { Members = [.. route.Members.Select(m => m with { Weight = 7 })] };
        var chosen = runtime.For(reweighted).Choose(new ClientRequest("8.8.8.8"));

        Assert.Equal(member, reweighted.Members[chosen].Id);
    }
}

public class SimulationTests
{
    [Fact]
    public void Round_robin_1_2_5_splits_8000_requests_exactly()
    {
        var route = Weighted(LoadBalancingAlgorithms.RoundRobin, 1, 2, 5);

        var result = RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(8000, null, null));

        Assert.Equal([1000, 2000, 5000], result.Members.Select(m => m.Count));
        Assert.Equal([0.125, 0.25, 0.625], result.Members.Select(m => m.Share));
    }

    [Fact]
    public void Least_connections_with_open_connections_fills_by_weight()
    {
        var route = Weighted(LoadBalancingAlgorithms.LeastConnections, 1, 3);

        Assert.Equal([250, 750], RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(1000, null, null)).Members.Select(m => m.Count));
    }

    [Fact]
    public void Source_ip_sends_each_client_to_one_member_and_unroutable_requests_are_counted()
    {
        var route = Weighted(LoadBalancingAlgorithms.SourceIp, 1, 1, 1);

        var oneClient = RoutingSimulation.Run(Pools.Runtime(route), new SimulationRequest(30, ["9.9.9.9"], null));
        var nowhere = RoutingSimulation.Run(Pools.Runtime(Weighted(LoadBalancingAlgorithms.SourceIp, 0, 0)), new SimulationRequest(5, null, null));

        Assert.Single(oneClient.Members, m => m.Count == 30);
        Assert.Equal(5, nowhere.Unrouted);
    }

    [Fact]
    public void Simulating_leaves_the_live_counters_untouched()
    {
        var table = new RoutingTable();
        var runtime = new RoutingRuntime(table, new LocalHealth(), new ManualClock(T0), new ScriptedRandom(0));
        var route = Weighted(LoadBalancingAlgorithms.LeastConnections, 1, 1);

        RoutingSimulation.Run(runtime.Detached(route, new ScriptedRandom(0)), new SimulationRequest(100, null, null));

        Assert.All(runtime.For(route).Counters, c => Assert.Equal(0, c.Active));
    }
}
