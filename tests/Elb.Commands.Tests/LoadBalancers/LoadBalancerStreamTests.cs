using System.Diagnostics;
using System.Text.Json;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class LoadBalancerStreamTests
{
    [Fact]
    public void Evolving_the_stream_builds_pools_and_members()
    {
        var state = Evolve(Created(), ListenerCreated(), PoolCreated(), MemberAdded("10.0.1.7", weight: 5), MemberAdded("10.0.1.8"));

        Assert.Equal((Protocol.Http, 80), (state.Listeners[0].Protocol, state.Listeners[0].ProtocolPort));
        var pool = Assert.Single(state.Pools);
        Assert.Equal(["10.0.1.7", "10.0.1.8"], pool.Members.Select(m => m.Address));
        Assert.Equal([5, 1], pool.Members.Select(m => m.Weight));
    }

    [Fact]
    public void Events_before_the_load_balancer_exists_mean_nothing()
    {
        Assert.Null(LoadBalancerStream.Evolve(null, PoolCreated()));
    }

    [Fact]
    public void An_event_type_evolve_has_no_arm_for_fails_loudly_instead_of_leaving_the_state_as_it_was()
    {
        var error = Assert.Throws<UnreachableException>(() => LoadBalancerStream.Evolve(Evolve(Created()), new UnknownEvent(Project, LoadBalancerId)));

        Assert.Contains(nameof(UnknownEvent), error.Message);
    }

    [Fact]
    public void A_second_creation_of_a_load_balancer_fails_loudly()
    {
        Assert.Throws<InvalidOperationException>(() => Evolve(Created(), Created()));
    }

    private sealed record UnknownEvent(string ProjectId, Guid LoadBalancerId) : ILoadBalancerEvent;

    [Fact]
    public void A_change_crosses_the_bus_as_snake_case_json_and_comes_back_equal()
    {
        var change = new LoadBalancerChange(Guid.NewGuid(), LoadBalancerId, 3, "BackendServerAdded", Now,
            MemberAdded("10.0.1.7"));

        var json = JsonSerializer.Serialize(change, ElbJson.Options);
        var back = JsonSerializer.Deserialize<LoadBalancerChange>(json, ElbJson.Options)!;

        Assert.Contains("\"loadbalancer_id\":", json);
        Assert.Contains("\"event_type\":\"BackendServerAdded\"", json);
        Assert.Equal(change.Event, back.Event);
        Assert.Equal($"{LoadBalancerId}.BackendServerAdded", back.RoutingKey);
    }
}
