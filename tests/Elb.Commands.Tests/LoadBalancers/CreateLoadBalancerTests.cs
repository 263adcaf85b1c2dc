using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

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
