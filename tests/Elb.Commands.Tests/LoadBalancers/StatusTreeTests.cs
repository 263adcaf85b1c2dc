using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class Rule13_StatusTreePerAvailabilityZone
{
    [Fact]
    public void Each_zone_shows_its_members_and_healthy_members_and_a_zone_without_a_healthy_one_is_flagged()
    {
        var state = Evolve(Created(zones: ["az-1", "az-2"]), PoolCreated(), MonitorCreated(),
            MemberAdded("10.0.0.1", zone: "az-1", status: MemberOperatingStatus.Online),
            MemberAdded("10.0.0.2", zone: "az-2", status: MemberOperatingStatus.Offline));

        var tree = StatusTree.From(state);

        Assert.Equal(OperatingStatus.Degraded, tree.OperatingStatus);
        Assert.Equal(("az-1", 1, 1, true), (tree.AvailabilityZones[0].AvailabilityZone, tree.AvailabilityZones[0].Members,
            tree.AvailabilityZones[0].HealthyMembers, tree.AvailabilityZones[0].HasHealthyMember));
        Assert.Equal((1, 0, false), (tree.AvailabilityZones[1].Members, tree.AvailabilityZones[1].HealthyMembers, tree.AvailabilityZones[1].HasHealthyMember));
        Assert.Contains("az-2", tree.AvailabilityZones[1].Warning);
        Assert.Equal(OperatingStatus.Degraded, Assert.Single(tree.Pools).OperatingStatus);
    }

    [Fact]
    public void With_a_healthy_member_in_every_zone_the_load_balancer_is_online()
    {
        var state = Evolve(Created(zones: ["az-1", "az-2"]), PoolCreated(), MemberAdded("10.0.0.1", zone: "az-1"),
            MemberAdded("10.0.0.2", zone: "az-2"));

        Assert.Equal(OperatingStatus.Online, StatusTree.From(state).OperatingStatus);
        Assert.All(StatusTree.From(state).AvailabilityZones, z => Assert.Null(z.Warning));
    }
}
