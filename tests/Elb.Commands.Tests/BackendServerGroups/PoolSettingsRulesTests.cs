using Elb.Commands.BackendServerGroups;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.BackendServerGroups;

public class Rule8_SlowStartPools
{
    private static readonly SlowStartInput On = new(true, null);

    [Theory]
    [InlineData("HTTP")]
    [InlineData("HTTPS")]
    public void Slow_start_is_enabled_on_http_and_https_round_robin_pools_of_dedicated_load_balancers(string protocol)
    {
        var created = Assert.IsType<BackendServerGroupCreated>(Assert.Single(Pools.Create(Evolve(Created()), protocol, slowStart: On).Events));

        Assert.Equal(new SlowStartSettings(true, 30), created.SlowStart);
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("UDP")]
    [InlineData("QUIC")]
    public void Only_for_http_and_https_pools(string protocol)
    {
        Assert.Equal("ELB.SlowStartNeedsHttpPool", Pools.Create(Evolve(Created()), protocol, slowStart: On).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(LbAlgorithm.LeastConnections)]
    [InlineData(LbAlgorithm.SourceIp)]
    public void Only_with_weighted_round_robin(LbAlgorithm algorithm)
    {
        Assert.Equal("ELB.SlowStartNeedsRoundRobin", Pools.Create(Evolve(Created()), algorithm: algorithm.WireName(), slowStart: On).Violation?.ErrorCode);
        Assert.Equal("ELB.SlowStartNeedsRoundRobin",
            Pools.Update(Evolve(Created(), PoolCreated(algorithm: algorithm)), slowStart: On).Violation?.ErrorCode);
    }

    [Fact]
    public void The_algorithm_of_a_slow_start_pool_cannot_change()
    {
        var decision = Pools.Update(Evolve(Created(), PoolCreated(slowStart: true)), algorithm: "LEAST_CONNECTIONS");

        Assert.Equal("ELB.SlowStartNeedsRoundRobin", decision.Violation?.ErrorCode);
        Assert.Contains("LEAST_CONNECTIONS", decision.Violation!.Message);
        Assert.Null(Pools.Update(Evolve(Created(), PoolCreated(slowStart: true)), "LEAST_CONNECTIONS", new SlowStartInput(false, null)).Violation);
    }

    [Fact]
    public void Only_on_dedicated_load_balancers()
    {
        Assert.Equal("ELB.SlowStartNeedsDedicated", Pools.Create(Evolve(Created(guaranteed: false)), slowStart: On).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(1201)]
    public void The_duration_is_30_to_1200_seconds(int duration)
    {
        Assert.Equal("ELB.InvalidSlowStartDuration", Pools.Create(Evolve(Created()), slowStart: new SlowStartInput(true, duration)).Violation?.ErrorCode);
    }
}

public class Rule15_StickySessions
{
    [Theory]
    [InlineData("TCP", "SOURCE_IP", null)]
    [InlineData("UDP", "SOURCE_IP", null)]
    [InlineData("HTTP", "HTTP_COOKIE", null)]
    [InlineData("HTTPS", "APP_COOKIE", "session")]
    public void Each_pool_protocol_takes_its_kind_of_stickiness_with_a_warning(string protocol, string type, string? cookie)
    {
        var decision = Pools.Create(Evolve(Created()), protocol, sticky: new SessionPersistenceInput(type, cookie, null));

        Assert.Null(decision.Violation);
        Assert.Contains("unbalanced", Assert.Single(decision.Warnings));
    }

    [Theory]
    [InlineData("TCP", "HTTP_COOKIE")]
    [InlineData("UDP", "APP_COOKIE")]
    [InlineData("HTTP", "SOURCE_IP")]
    public void Other_combinations_are_refused(string protocol, string type)
    {
        var decision = Pools.Create(Evolve(Created()), protocol, sticky: new SessionPersistenceInput(type, type == "APP_COOKIE" ? "c" : null, null));

        Assert.Equal("ELB.StickySessionProtocolMismatch", decision.Violation?.ErrorCode);
    }

    [Fact]
    public void App_cookie_needs_a_cookie_name_and_only_app_cookie_takes_one()
    {
        Assert.Equal("ELB.MissingField",
            Pools.Create(Evolve(Created()), sticky: new SessionPersistenceInput("APP_COOKIE", null, null)).Violation?.ErrorCode);
        Assert.Equal("ELB.CookieNameNotAllowed",
            Pools.Create(Evolve(Created()), sticky: new SessionPersistenceInput("HTTP_COOKIE", "c", null)).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("TCP", 61)]
    [InlineData("HTTP", 1441)]
    [InlineData("HTTP", 0)]
    public void The_timeout_is_1_to_60_minutes_for_tcp_udp_and_1_to_1440_for_http(string protocol, int timeout)
    {
        var type = protocol == "TCP" ? "SOURCE_IP" : "HTTP_COOKIE";

        Assert.Equal("ELB.InvalidPersistenceTimeout",
            Pools.Create(Evolve(Created()), protocol, sticky: new SessionPersistenceInput(type, null, timeout)).Violation?.ErrorCode);
    }

    [Fact]
    public void Enabling_by_update_warns_and_null_turns_it_off()
    {
        var state = Evolve(Created(), PoolCreated());
        var enabled = Pools.Update(state, sticky: new SessionPersistenceInput("HTTP_COOKIE", null, null));
        var withSticky = LoadBalancerStream.Evolve(state, enabled.Events.Single())!;
        var disabled = Pools.Update(withSticky, sticky: new Optional<SessionPersistenceInput?>(true, null));

        Assert.Single(enabled.Warnings);
        Assert.Equal(new SessionPersistence(StickySessionType.HttpCookie, null, 1440), withSticky.FindPool(PoolId)!.SessionPersistence);
        Assert.Null(LoadBalancerStream.Evolve(withSticky, disabled.Events.Single())!.FindPool(PoolId)!.SessionPersistence);
    }
}

public class ConnectionDrainRules
{
    [Fact]
    public void Tcp_udp_and_quic_pools_drain_for_10_to_4000_seconds()
    {
        Assert.Equal(new ConnectionDrain(true, 60), PoolSettingsRules.Drain(Protocol.Tcp, new ConnectionDrainInput(true, 60), ConnectionDrain.Disabled).Drain);
        Assert.Equal("ELB.ConnectionDrainNeedsTcpOrUdpPool",
            PoolSettingsRules.Drain(Protocol.Http, new ConnectionDrainInput(true, 60), ConnectionDrain.Disabled).Violation?.ErrorCode);
        Assert.Equal("ELB.InvalidConnectionDrainTimeout",
            PoolSettingsRules.Drain(Protocol.Udp, new ConnectionDrainInput(true, 4001), ConnectionDrain.Disabled).Violation?.ErrorCode);
    }

    [Fact]
    public void A_drain_setting_reaches_the_pool_and_an_update_that_leaves_it_out_keeps_it()
    {
        var created = Assert.IsType<BackendServerGroupCreated>(Assert.Single(CreateBackendServerGroupRules.Decide(Evolve(Created()),
            new CreateBackendServerGroup(Project, LoadBalancerId, null, "tcp", null, "TCP", "ROUND_ROBIN", null, null, null, null,
                new ConnectionDrainInput(true, 30)), PoolId, Now).Events));
        var state = Evolve(Created(), created);
        var renamed = Pools.Update(state with { }, algorithm: null);

        Assert.Equal(new ConnectionDrain(true, 30), LoadBalancerStream.Evolve(state, renamed.Events.Single())!.FindPool(PoolId)!.ConnectionDrain);
    }
}
