using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests;

public class LoadBalancerCreationRules
{
    private static CreateLoadBalancer Command(string? vpc = Vpc, IReadOnlyList<string>? zones = null,
        string? subnet = null, bool? guaranteed = null, bool? ipTarget = null) =>
        new(Project, "web", null, vpc, subnet, zones ?? ["az-1"], guaranteed, ipTarget);

    public static Decision Decide(CreateLoadBalancer command, Elb.Commands.Inventory.Subnet? subnet) =>
        CreateLoadBalancerRules.Decide(command, subnet, new HashSet<uint>(), Elb.Commands.Egress.EgressPolicy.Production,
            LoadBalancerId, Now);

    [Fact]
    public void A_valid_request_records_LoadBalancerCreated_with_the_handlers_id_and_time_and_defaults()
    {
        var decision = Decide(Command(zones: ["az-1", "az-1", "az-2"]), Subnet());

        var created = Assert.IsType<LoadBalancerCreated>(Assert.Single(decision.Events));
        Assert.Equal((LoadBalancerId, Now, true, false), (created.LoadBalancerId, created.CreatedAt, created.Guaranteed, created.IpTargetEnable));
        Assert.Equal(["az-1", "az-2"], created.AvailabilityZoneList);
    }

    [Fact]
    public void A_load_balancer_needs_a_vpc_and_a_zone()
    {
        Assert.Equal("ELB.MissingField", Decide(Command(vpc: " "), Subnet()).Violation?.ErrorCode);
        Assert.Equal("ELB.AvailabilityZoneRequired", Decide(Command(zones: []), Subnet()).Violation?.ErrorCode);
    }

    [Fact]
    public void Its_subnet_must_be_registered_and_in_its_vpc()
    {
        Assert.Equal("ELB.SubnetNotFound", Decide(Command(subnet: "subnet-1"), null).Violation?.ErrorCode);
        Assert.Equal("ELB.SubnetNotInVpc", Decide(Command(subnet: "subnet-1"), Subnet(vpc: "vpc-2")).Violation?.ErrorCode);
    }

    [Fact]
    public void It_cannot_be_deleted_while_it_has_listeners_or_pools()
    {
        var command = new DeleteLoadBalancer(Project, LoadBalancerId);

        Assert.Equal("ELB.LoadBalancerInUse", DeleteLoadBalancerRules.Decide(Evolve(Created(), PoolCreated()), command, Now).Violation?.ErrorCode);
        Assert.Equal("ELB.LoadBalancerInUse", DeleteLoadBalancerRules.Decide(Evolve(Created(), ListenerCreated()), command, Now).Violation?.ErrorCode);
        Assert.IsType<LoadBalancerDeleted>(Assert.Single(DeleteLoadBalancerRules.Decide(Evolve(Created()), command, Now).Events));
        Assert.Null(LoadBalancerStream.Evolve(Evolve(Created()), new LoadBalancerDeleted(LoadBalancerId, Project, Now)));
    }
}

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
    [InlineData("UDP")]
    [InlineData("QUIC")]
    public void Only_when_every_listener_is_tcp_http_or_https(string protocol)
    {
        var decision = Enable(Evolve(Created(), ListenerCreated(protocol, 53)), Subnet());

        Assert.Equal("ELB.IpAsBackendListenerProtocol", decision.Violation?.ErrorCode);
        Assert.Contains(protocol, decision.Violation!.Message);
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
    [Fact]
    public void A_port_is_used_by_one_listener_per_load_balancer()
    {
        var decision = CreateListenerRules.Decide(Evolve(Created(), ListenerCreated("HTTP", 80)),
            new CreateListener(Project, LoadBalancerId, null, null, "TCP", 80, null), NoCertificates, Guid.NewGuid(), Now);

        Assert.Equal("ELB.ListenerPortInUse", decision.Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("TCP", "TCP", true)]
    [InlineData("TCP", "UDP", false)]
    [InlineData("UDP", "UDP", true)]
    [InlineData("UDP", "QUIC", true)]
    [InlineData("HTTP", "HTTP", true)]
    [InlineData("HTTP", "HTTPS", false)]
    [InlineData("HTTPS", "HTTP", true)]
    [InlineData("HTTPS", "HTTPS", true)]
    [InlineData("HTTPS", "TCP", false)]
    public void A_listener_forwards_only_to_pools_of_a_matching_protocol(string listener, string pool, bool fits)
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
            new UpdateListener(Project, LoadBalancerId, ListenerId, null, null, new Optional<Guid?>(true, null)), NoCertificates, Now);
        var after = LoadBalancerStream.Evolve(withDefault, cleared.Events.Single())!;

        Assert.Null(after.FindListener(ListenerId)!.DefaultPoolId);
        Assert.IsType<ListenerDeleted>(Assert.Single(DeleteListenerRules.Decide(after, new DeleteListener(Project, LoadBalancerId, ListenerId), Now).Events));
    }
}
