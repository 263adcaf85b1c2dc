using Elb.Commands.BackendServers;
using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.BackendServers;

public class Rule1_MembersMustBeInTheLoadBalancersVpc
{
    [Fact]
    public void A_server_in_the_vpc_is_added_with_its_address_zone_and_os_from_the_inventory()
    {
        var added = Members.Add(Evolve(Created(), PoolCreated()), [Server("srv-1", "10.0.0.7")], Members.Instance("srv-1")).Single();

        Assert.Equal(("10.0.0.7", "instance", "srv-1", "az-1", "Linux"),
            (added.Address, added.MemberType, added.InstanceId, added.AvailabilityZone, added.Os));
    }

    [Fact]
    public void A_server_in_another_vpc_is_refused_naming_both_vpcs()
    {
        var decision = Members.Add(Evolve(Created(), PoolCreated()), [Server("srv-9", "10.9.0.7", subnetId: "other-subnet")],
            Members.Instance("srv-9"));

        Assert.Equal("ELB.MemberNotInVpc", decision.Violation?.ErrorCode);
        Assert.Contains("vpc-2", decision.Violation!.Message);
        Assert.Contains(Vpc, decision.Violation.Message);
    }

    [Fact]
    public void Without_ip_as_backend_an_address_alone_is_refused()
    {
        var decision = Members.Add(Evolve(Created(), PoolCreated()), Members.Ip("10.0.0.7"));

        Assert.Equal(("ELB.IpAsBackendDisabled", 409), (decision.Violation?.ErrorCode, decision.Violation?.Status));
    }

    [Fact]
    public void An_unknown_server_is_not_found()
    {
        Assert.Equal("ELB.ServerNotFound", Members.Add(Evolve(Created(), PoolCreated()), Members.Instance("nope")).Violation?.ErrorCode);
    }
}

public class Rule2_MembersOfAPoolRunTheSameOs
{
    [Fact]
    public void A_server_with_another_os_is_refused_naming_both()
    {
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.7", os: "Linux", instanceId: "srv-1"));

        var decision = Members.Add(state, [Server("srv-2", "10.0.0.8", os: "Windows")], Members.Instance("srv-2"));

        Assert.Equal("ELB.MemberOsMismatch", decision.Violation?.ErrorCode);
        Assert.Contains("Linux", decision.Violation!.Message);
        Assert.Contains("Windows", decision.Violation.Message);
    }

    [Fact]
    public void A_server_with_the_same_os_is_accepted()
    {
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.7", os: "Linux", instanceId: "srv-1"));

        Assert.Null(Members.Add(state, [Server("srv-2", "10.0.0.8")], Members.Instance("srv-2")).Violation);
    }
}

public class Rule3_Weights
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    public void Weights_0_to_100_are_accepted(int weight)
    {
        Assert.Equal(weight, Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.0.7", weight: weight)).Single().Weight);
    }

    [Fact]
    public void The_weight_defaults_to_1()
    {
        Assert.Equal(1, Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.0.7")).Single().Weight);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Weights_outside_0_to_100_are_refused_naming_the_value(int weight)
    {
        var decision = Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.0.7", weight: weight));

        Assert.Equal("ELB.InvalidWeight", decision.Violation?.ErrorCode);
        Assert.Contains(weight.ToString(), decision.Violation!.Message);
    }

    [Fact]
    public void An_update_changes_the_weight_and_refuses_one_out_of_range()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.7", id: memberId));

        var updated = UpdateBackendServerRules.Decide(state, new UpdateBackendServer(Project, LoadBalancerId, PoolId, memberId, null, 40), Now);
        var refused = UpdateBackendServerRules.Decide(state, new UpdateBackendServer(Project, LoadBalancerId, PoolId, memberId, null, 200), Now);

        Assert.Equal(40, Assert.IsType<BackendServerUpdated>(Assert.Single(updated.Events)).Weight);
        Assert.Equal("ELB.InvalidWeight", refused.Violation?.ErrorCode);
    }
}

public class Rule6_IpAsBackendMembers
{
    [Fact]
    public void An_ipv4_address_is_an_ip_member_and_may_be_outside_the_vpc()
    {
        var added = Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("192.168.50.4")).Single();

        Assert.Equal(("192.168.50.4", "ip", null), (added.Address, added.MemberType, added.InstanceId));
    }

    [Theory]
    [InlineData("fd00::1")]
    [InlineData("backend.example")]
    public void Only_ipv4_addresses_are_accepted(string address)
    {
        var decision = Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip(address));

        Assert.Equal("ELB.IpMemberMustBeIpv4", decision.Violation?.ErrorCode);
    }
}

public class Rule7_AtMost492MembersPerLoadBalancer
{
    private static LoadBalancer WithMembers(int count)
    {
        var secondPool = Guid.NewGuid();
        var events = new List<ILoadBalancerEvent> { Created(ipTargetEnable: true), PoolCreated(), PoolCreated(id: secondPool) };
        // Counted over all pools of the load balancer.
        events.AddRange(Enumerable.Range(0, count).Select(i =>
            MemberAdded($"10.1.{i / 250}.{i % 250 + 1}", poolId: i % 2 == 0 ? PoolId : secondPool)));
        return Evolve([.. events]);
    }

    [Fact]
    public void The_492nd_member_is_accepted_and_the_493rd_refused()
    {
        Assert.Null(Members.Add(WithMembers(491), Members.Ip("10.9.0.1")).Violation);

        var decision = Members.Add(WithMembers(492), Members.Ip("10.9.0.1"));

        Assert.Equal(("ELB.MemberLimitReached", 409), (decision.Violation?.ErrorCode, decision.Violation?.Status));
        Assert.Contains("492", decision.Violation!.Message);
    }

    [Fact]
    public void A_batch_that_would_pass_the_limit_adds_nothing()
    {
        var decision = Members.Add(WithMembers(490), Members.Ip("10.9.0.1"), Members.Ip("10.9.0.2"), Members.Ip("10.9.0.3"));

        Assert.Equal("ELB.MemberLimitReached", decision.Violation?.ErrorCode);
        Assert.StartsWith("members[2]:", decision.Violation!.Message);
        Assert.Empty(decision.Events);
    }
}

public class MemberApiRules
{
    [Fact]
    public void An_address_and_port_already_in_the_pool_is_a_conflict()
    {
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(), MemberAdded("10.0.1.7", 8080));

        var decision = Members.Add(state, Members.Ip("10.0.1.7", 8080));

        Assert.Equal(("ELB.DuplicateMember", 409), (decision.Violation?.ErrorCode, decision.Violation?.Status));
        Assert.Contains("10.0.1.7:8080", decision.Violation!.Message);
    }

    [Fact]
    public void The_same_address_in_one_batch_twice_is_a_conflict()
    {
        var decision = Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.1.7"), Members.Ip("10.0.1.7"));

        Assert.Equal("ELB.DuplicateMember", decision.Violation?.ErrorCode);
    }

    [Fact]
    public void A_batch_is_at_most_200_members()
    {
        var inputs = Enumerable.Range(1, 201).Select(i => Members.Ip($"10.2.{i / 250}.{i % 250}")).ToArray();

        Assert.Equal("ELB.BatchTooLarge", Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), inputs).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("instance", true, "ELB.PoolTypeMismatch")]
    [InlineData("ip", false, "ELB.PoolTypeMismatch")]
    public void The_pool_type_restricts_member_types(string poolType, bool ipMember, string errorCode)
    {
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(type: poolType));

        var decision = ipMember
            ? Members.Add(state, Members.Ip("10.0.0.9"))
            : Members.Add(state, [Server("srv-1", "10.0.0.7")], Members.Instance("srv-1"));

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(null, 80, "ELB.MissingField")]
    [InlineData("10.0.1.7", null, "ELB.MissingField")]
    [InlineData("10.0.1.7", 0, "ELB.InvalidProtocolPort")]
    [InlineData("10.0.1.7", 65536, "ELB.InvalidProtocolPort")]
    public void Address_and_port_are_required_and_in_range(string? address, int? port, string errorCode)
    {
        var decision = Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), new MemberInput(null, null, address, port, null, null));

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
    }

    [Fact]
    public void Deletion_protection_refuses_removing_a_member()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(deletionProtection: true), MemberAdded("10.0.0.7", id: memberId));

        var decision = RemoveBackendServerRules.Decide(state, new RemoveBackendServer(Project, LoadBalancerId, PoolId, memberId), Now);

        Assert.Equal("ELB.MemberDeletionProtected", decision.Violation?.ErrorCode);
    }

    [Fact]
    public void A_member_of_another_project_is_not_found()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.7", id: memberId));

        var decision = RemoveBackendServerRules.Decide(state, new RemoveBackendServer("project-b", LoadBalancerId, PoolId, memberId), Now);

        Assert.Equal(("ELB.MemberNotFound", 404), (decision.Violation?.ErrorCode, decision.Violation?.Status));
    }
}
