using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Microsoft.Extensions.Time.Testing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.Sessions;

public class SessionAffinityTests
{
    private static RoutingRuntime Runtime(PoolRoute route, TimeProvider clock)
    {
        var table = new RoutingTable();
        var runtime = new RoutingRuntime(table, new LocalHealth(), clock, new ScriptedRandom(0));
        runtime.For(route);
        return runtime;
    }

    [Fact]
    public void An_http_cookie_client_stays_on_its_member_while_eligible_and_moves_when_it_is_not()
    {
        var clock = new FakeTimeProvider(T0);
        var route = Weighted(LbAlgorithm.RoundRobin, 1, 1, 1).WithSticky(StickySessionType.HttpCookie);
        var runtime = Runtime(route, clock);
        var first = runtime.For(route).Choose(new ClientRequest("1.1.1.1"));
        var cookie = SessionAffinity.CookieValue(route.Members[first].Id);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(first, runtime.For(route).Choose(new ClientRequest("1.1.1.1", cookie))));

        var memberDown = route with { Members = route.Members.SetItem(first, route.Members[first] with { OperatingStatus = MemberOperatingStatus.Offline }) };
        var moved = runtime.For(memberDown).Choose(new ClientRequest("1.1.1.1", cookie));
        Assert.NotEqual(first, moved);
        Assert.True(moved >= 0);
    }

    [Fact]
    public void A_source_ip_client_sticks_for_the_persistence_timeout_after_its_last_request()
    {
        var clock = new FakeTimeProvider(T0);
        var route = Weighted(LbAlgorithm.RoundRobin, 1, 1).WithSticky(StickySessionType.SourceIp, minutes: 1) with { Protocol = Protocol.Tcp };
        var runtime = Runtime(route, clock).For(route);
        var member = runtime.Choose(new ClientRequest("2.2.2.2"));
        runtime.Choose(new ClientRequest("3.3.3.3"));

        clock.SetUtcNow(T0.AddSeconds(50));
        Assert.Equal(member, runtime.Choose(new ClientRequest("2.2.2.2")));
        clock.SetUtcNow(T0.AddSeconds(100));
        Assert.Equal(member, runtime.Choose(new ClientRequest("2.2.2.2")));

        clock.SetUtcNow(T0.AddSeconds(200));
        runtime.Choose(new ClientRequest("4.4.4.4"));
        Assert.NotEqual(member, runtime.Choose(new ClientRequest("2.2.2.2")));
    }

    [Fact]
    public void An_app_cookie_value_maps_to_the_member_that_first_served_it()
    {
        var route = Weighted(LbAlgorithm.RoundRobin, 1, 1, 1).WithSticky(StickySessionType.AppCookie, 60, "JSESSIONID");
        var runtime = Runtime(route, new FakeTimeProvider(T0)).For(route);

        var a = runtime.Choose(new ClientRequest("5.5.5.5", AppCookie: "session-a"));
        var b = runtime.Choose(new ClientRequest("5.5.5.5", AppCookie: "session-b"));

        Assert.NotEqual(a, b);
        Assert.Equal(a, runtime.Choose(new ClientRequest("6.6.6.6", AppCookie: "session-a")));
        Assert.Equal(b, runtime.Choose(new ClientRequest("7.7.7.7", AppCookie: "session-b")));
    }

    [Fact]
    public void A_full_table_forgets_the_client_seen_least_recently()
    {
        var affinity = new SessionAffinity(new SessionPersistence(StickySessionType.SourceIp, null, 1), new FakeTimeProvider(T0), new StickyTableOptions(MaxEntries: 2));
        var member = Guid.NewGuid();
        affinity.Remember(new ClientRequest("1.1.1.1"), member);
        affinity.Remember(new ClientRequest("2.2.2.2"), member);
        Assert.Equal(member, affinity.Find(new ClientRequest("1.1.1.1")));

        affinity.Remember(new ClientRequest("3.3.3.3"), member);

        Assert.Equal(2, affinity.Count);
        Assert.Null(affinity.Find(new ClientRequest("2.2.2.2")));
        Assert.Equal(member, affinity.Find(new ClientRequest("1.1.1.1")));
    }

    [Fact]
    public void Sticky_ties_survive_a_configuration_change_that_keeps_the_member()
    {
        var route = Weighted(LbAlgorithm.RoundRobin, 1, 1, 1).WithSticky(StickySessionType.SourceIp) with { Protocol = Protocol.Tcp };
        var runtime = Runtime(route, new FakeTimeProvider(T0));
        runtime.For(route).Choose(new ClientRequest("1.1.1.1"));
        // Tied to member 1, not to member 0 where any round robin, rebuilt or not, would start again.
        var tied = runtime.For(route).Choose(new ClientRequest("8.8.8.8"));
        Assert.Equal(1, tied);

        var reweighted = route with { Members = [.. route.Members.Select(m => m with { Weight = 7 })] };
        var chosen = runtime.For(reweighted).Choose(new ClientRequest("8.8.8.8"));

        Assert.Equal(route.Members[tied].Id, reweighted.Members[chosen].Id);
    }
}
