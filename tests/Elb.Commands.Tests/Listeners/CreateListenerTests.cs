using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Listeners;

public class Rule5_ListenersWithIpAsBackend
{
    private static Decision AddListener(LoadBalancer state, string protocol, int port = 80) =>
        CreateListenerRules.Decide(state, new CreateListener(Project, LoadBalancerId, null, null, protocol, port, null), NoCertificates, ListenerId, Now);

    [Theory]
    [InlineData("TCP")]
    [InlineData("HTTP")]
    [InlineData("HTTPS")]
    public void Tcp_http_and_https_listeners_can_be_added(string protocol)
    {
        Assert.Null(AddListener(Evolve(Created(ipTargetEnable: true)), protocol).Violation);
    }

    [Theory]
    [InlineData("UDP")]
    [InlineData("QUIC")]
    public void Other_listeners_are_refused(string protocol)
    {
        Assert.Equal("ELB.IpAsBackendListenerProtocol", AddListener(Evolve(Created(ipTargetEnable: true)), protocol).Violation?.ErrorCode);
        Assert.Null(AddListener(Evolve(Created()), protocol).Violation);
    }
}

public class ListenerApiRules
{
    [Theory]
    [InlineData("SMTP")]
    [InlineData("https")]
    [InlineData("Https")]
    public void The_protocol_must_be_known_by_its_exact_name(string protocol)
    {
        var decision = CreateListenerRules.Decide(Evolve(Created()),
            new CreateListener(Project, LoadBalancerId, null, null, protocol, 443, null), NoCertificates, ListenerId, Now);

        Assert.Equal("ELB.UnsupportedProtocol", decision.Violation?.ErrorCode);
        Assert.Equal($"Listener protocol '{protocol}' is not one of TCP, UDP, HTTP, HTTPS, QUIC.", decision.Violation!.Message);
    }

    [Fact]
    public void Which_pools_a_listener_forwards_to_is_known_for_every_protocol_and_only_for_those()
    {
        Assert.All(Enum.GetValues<Protocol>(), p => Assert.NotEmpty(ProtocolRules.PoolProtocolsFor(p)));
        Assert.Throws<System.Runtime.CompilerServices.SwitchExpressionException>(() => ProtocolRules.PoolProtocolsFor((Protocol)99));
    }

    [Fact]
    public void A_port_is_used_by_one_listener_per_load_balancer()
    {
        var decision = CreateListenerRules.Decide(Evolve(Created(), ListenerCreated(Protocol.Http, 80)),
            new CreateListener(Project, LoadBalancerId, null, null, "TCP", 80, null), NoCertificates, Guid.NewGuid(), Now);

        Assert.Equal("ELB.ListenerPortInUse", decision.Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("TCP", Protocol.Tcp, true)]
    [InlineData("TCP", Protocol.Udp, false)]
    [InlineData("UDP", Protocol.Udp, true)]
    [InlineData("UDP", Protocol.Quic, true)]
    [InlineData("HTTP", Protocol.Http, true)]
    [InlineData("HTTP", Protocol.Https, false)]
    [InlineData("HTTPS", Protocol.Http, true)]
    [InlineData("HTTPS", Protocol.Https, true)]
    [InlineData("HTTPS", Protocol.Tcp, false)]
    public void A_listener_forwards_only_to_pools_of_a_matching_protocol(string listener, Protocol pool, bool fits)
    {
        var decision = CreateListenerRules.Decide(Evolve(Created(), PoolCreated(pool)),
            new CreateListener(Project, LoadBalancerId, null, null, listener, 443, PoolId), NoCertificates, ListenerId, Now);

        Assert.Equal(fits ? null : "ELB.ListenerPoolProtocolMismatch", decision.Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(0, "ELB.InvalidProtocolPort")]
    [InlineData(65536, "ELB.InvalidProtocolPort")]
    public void The_port_is_1_to_65535(int port, string errorCode)
    {
        var decision = CreateListenerRules.Decide(Evolve(Created()),
            new CreateListener(Project, LoadBalancerId, null, null, "HTTP", port, null), NoCertificates, ListenerId, Now);

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
    }

    [Fact]
    public void An_update_can_clear_the_default_pool_and_then_the_listener_can_be_deleted()
    {
        var withDefault = Evolve(Created(), PoolCreated(), ListenerCreated() with { DefaultPoolId = PoolId });
        Assert.Equal("ELB.ListenerInUse", DeleteListenerRules.Decide(withDefault, new DeleteListener(Project, LoadBalancerId, ListenerId), Now).Violation?.ErrorCode);

        var cleared = UpdateListenerRules.Decide(withDefault,
            new UpdateListener(Project, LoadBalancerId, ListenerId, null, null, new Optional<Guid?>(true, null), default), NoCertificates, Now);
        var after = LoadBalancerStream.Evolve(withDefault, cleared.Events.Single())!;

        Assert.Null(after.FindListener(ListenerId)!.DefaultPoolId);
        Assert.IsType<ListenerDeleted>(Assert.Single(DeleteListenerRules.Decide(after, new DeleteListener(Project, LoadBalancerId, ListenerId), Now).Events));
    }
}
