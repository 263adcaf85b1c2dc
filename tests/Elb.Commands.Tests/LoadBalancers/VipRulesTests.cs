using System.Net;
using Elb.Commands.Egress;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class VipRulesTests
{
    private static HashSet<uint> Taken(params string[] addresses) => [.. addresses.Select(a => VipRules.ToNumber(IPAddress.Parse(a)))];

    private static (string? Address, string? Code) Choose(string cidr, string? requested, HashSet<uint>? taken = null,
        EgressPolicy? policy = null)
    {
        var (address, violation) = VipRules.Choose(Subnet(cidr: cidr), requested, taken ?? [], policy ?? EgressPolicy.Production);
        return (address, violation?.ErrorCode);
    }

    [Fact]
    public void Without_an_address_the_lowest_free_one_after_the_network_and_gateway_addresses()
    {
        Assert.Equal(("10.0.0.2", null), Choose("10.0.0.0/24", null));
        Assert.Equal(("10.0.0.4", null), Choose("10.0.0.0/24", null, Taken("10.0.0.2", "10.0.0.3", "10.0.0.9")));
    }

    [Fact]
    public void A_subnet_with_every_usable_address_taken_is_full()
    {
        Assert.Equal((null, "ELB.VipSubnetFull"), Choose("10.0.0.0/30", null, Taken("10.0.0.2")));
        Assert.Equal((null, "ELB.VipSubnetFull"), Choose("10.0.0.4/31", null));
    }

    [Theory]
    [InlineData("10.0.0.77", "10.0.0.77", null)]
    [InlineData("10.0.1.7", null, "ELB.VipAddressNotInSubnet")]
    [InlineData("10.0.0.0", null, "ELB.InvalidVipAddress")]
    [InlineData("10.0.0.1", null, "ELB.InvalidVipAddress")]
    [InlineData("10.0.0.255", null, "ELB.InvalidVipAddress")]
    [InlineData("fe80::1", null, "ELB.InvalidVipAddress")]
    [InlineData("ten", null, "ELB.InvalidVipAddress")]
    [InlineData("10.0.0.9", null, "ELB.VipAddressInUse")]
    public void A_given_address_must_be_a_free_host_address_of_the_subnet(string requested, string? address, string? code)
    {
        Assert.Equal((address, code), Choose("10.0.0.0/24", requested, Taken("10.0.0.9")));
    }

    [Fact]
    public void No_VIP_where_Elb_never_connects_loopback_only_in_the_local_profile()
    {
        Assert.Equal((null, "ELB.VipAddressNotAllowed"), Choose("169.254.0.0/16", null));
        Assert.Equal((null, "ELB.VipAddressNotAllowed"), Choose("127.0.0.0/24", "127.0.0.5"));
        Assert.Equal(("127.0.0.5", null), Choose("127.0.0.0/24", "127.0.0.5", policy: EgressPolicy.Local(EgressPolicy.DefaultServicePorts)));
    }

    [Fact]
    public void Without_a_named_subnet_the_VPCs_largest_then_first_by_id()
    {
        Assert.Equal("b", VipRules.ChooseSubnet([Subnet("a", "10.0.0.0/24"), Subnet("b", "10.1.0.0/16"), Subnet("c", "10.2.0.0/16")])?.Id);
        Assert.Null(VipRules.ChooseSubnet([]));
    }

    [Fact]
    public void A_created_load_balancer_holds_its_VIP_and_names_the_subnet_it_came_from()
    {
        var decision = LoadBalancerCreationRules.Decide(new CreateLoadBalancer(Project, "web", null, Vpc, null, ["az-1"], null, null),
            Subnet("subnet-big", "10.8.0.0/16"));

        var created = Assert.IsType<LoadBalancerCreated>(Assert.Single(decision.Events));
        Assert.Equal(("subnet-big", "10.8.0.2"), (created.VipSubnetCidrId, created.VipAddress));
        Assert.Equal("10.8.0.2", LoadBalancerStream.Evolve(null, created)!.VipAddress);
        Assert.Equal("ELB.VipSubnetRequired",
            LoadBalancerCreationRules.Decide(new CreateLoadBalancer(Project, "web", null, Vpc, null, ["az-1"], null, null), null)
                .Violation?.ErrorCode);
    }
}

public class VipMapTests
{
    [Theory]
    [InlineData("10.0.3.7", "127.5.3.7")]
    [InlineData("10.1.0.9", "127.6.0.9")]
    [InlineData("192.168.0.4", "192.168.0.4")]
    [InlineData("127.0.0.4", "127.0.0.4")]
    [InlineData("127.5.3.7", null)]
    public void A_VIP_a_rule_covers_moves_by_the_same_offset_into_its_target_and_any_other_is_bound_as_it_is_unless_it_is_a_target(
        string vip, string? local)
    {
        var map = VipMap.Parse(["10.0.0.0/16=127.5.0.0/16, 10.1.0.0/16=127.6.0.0/16"]);

        Assert.Equal(local is null ? null : IPAddress.Parse(local), map.LocalAddress(IPAddress.Parse(vip)));
        Assert.Equal(["10.0.0.0/16=127.5.0.0/16", "10.1.0.0/16=127.6.0.0/16"], map.Rules);
    }

    [Theory]
    [InlineData("10.0.0.0/16=127.5.0.0/24")]
    [InlineData("10.0.0.0/16")]
    [InlineData("10.0.0.0/16=::1/16")]
    [InlineData("10.0.0.0/16=127.5.0.0/16,10.0.0.0/24=127.9.0.0/24")]
    [InlineData("10.0.0.0/16=127.5.0.0/16,10.1.0.0/16=127.5.0.0/16")]
    public void A_rule_that_could_not_map_every_address_one_to_one_is_a_configuration_error(string rule)
    {
        Assert.Throws<FormatException>(() => VipMap.Parse([rule]));
    }
}
