using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class Rule4_IpAsBackendCanBeEnabled
{
    private static Decision Enable(LoadBalancer state, Elb.Commands.Inventory.Subnet? subnet) =>
        UpdateLoadBalancerRules.Decide(state, new UpdateLoadBalancer(Project, LoadBalancerId, null, null, true), subnet, Now);

    [Fact]
    public void At_creation_on_a_dedicated_load_balancer_with_a_28_subnet()
    {
        var decision = LoadBalancerCreationRules.Decide(new CreateLoadBalancer(Project, "web", null, Vpc, "subnet-1", ["az-1"], true, true),
            Subnet(cidr: "10.0.0.0/28"));

        Assert.True(Assert.IsType<LoadBalancerCreated>(Assert.Single(decision.Events)).IpTargetEnable);
    }

    [Fact]
    public void Later_by_an_update()
    {
        var decision = Enable(Evolve(Created()), Subnet());

        Assert.IsType<IpAsBackendEnabled>(Assert.Single(decision.Events));
        Assert.True(LoadBalancerStream.Evolve(Evolve(Created()), decision.Events[0])!.IpTargetEnable);
    }

    [Fact]
    public void Only_on_dedicated_load_balancers()
    {
        Assert.Equal("ELB.IpAsBackendNeedsDedicated", Enable(Evolve(Created(guaranteed: false)), Subnet()).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("10.0.0.0/29", "8")]
    [InlineData("10.0.0.0/30", "4")]
    public void Only_with_at_least_16_addresses_in_its_subnet(string cidr, string addresses)
    {
        var decision = Enable(Evolve(Created()), Subnet(cidr: cidr));

        Assert.Equal("ELB.IpAsBackendSubnetTooSmall", decision.Violation?.ErrorCode);
        Assert.Contains(cidr, decision.Violation!.Message);
        Assert.Contains($"has {addresses}", decision.Violation.Message);
    }

    [Theory]
    [InlineData(Protocol.Udp, "UDP")]
    [InlineData(Protocol.Quic, "QUIC")]
    public void Only_when_every_listener_is_tcp_http_or_https(Protocol protocol, string named)
    {
        var decision = Enable(Evolve(Created(), ListenerCreated(protocol, 53)), Subnet());

        Assert.Equal("ELB.IpAsBackendListenerProtocol", decision.Violation?.ErrorCode);
        Assert.Contains($"the {named} listener", decision.Violation!.Message);
    }

    [Fact]
    public void Once_enabled_it_can_never_be_disabled_and_enabling_again_changes_nothing()
    {
        var enabled = Evolve(Created(ipTargetEnable: true));

        var disable = UpdateLoadBalancerRules.Decide(enabled, new UpdateLoadBalancer(Project, LoadBalancerId, null, null, false), Subnet(), Now);
        var again = Enable(enabled, Subnet());

        Assert.Equal(("ELB.IpAsBackendCannotBeDisabled", 409), (disable.Violation?.ErrorCode, disable.Violation?.Status));
        Assert.Null(again.Violation);
        Assert.Empty(again.Events);
    }
}
