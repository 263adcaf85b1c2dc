using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.LoadBalancing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class EligibilityTests
{
    [Fact]
    public void Weight_0_and_offline_members_take_no_new_requests()
    {
        var route = Route(LbAlgorithm.RoundRobin, Member(3, n: 0), Member(0, n: 1),
            Member(5, MemberOperatingStatus.Offline, n: 2), Member(1, MemberOperatingStatus.Online, n: 3));

        Assert.Equal([0, 3], Runtime(route).Algorithm.Picks(40).Distinct().Order());
    }

    [Fact]
    public void With_no_healthy_member_the_pool_fails_open_and_with_every_weight_0_nothing_is_picked()
    {
        var allOffline = Route(LbAlgorithm.RoundRobin, Member(1, MemberOperatingStatus.Offline, n: 0),
            Member(1, MemberOperatingStatus.Offline, n: 1), Member(0, MemberOperatingStatus.Offline, n: 2));
        var allZero = Weighted(LbAlgorithm.RoundRobin, 0, 0);

        Assert.Equal([0, 1], Runtime(allOffline).Algorithm.Picks(10).Distinct().Order());
        Assert.All(Runtime(allZero).Algorithm.Picks(3), p => Assert.Equal(-1, p));
    }
}
