using Elb.Commands.BackendServers;
using static Elb.Commands.Tests.LoadBalancerScenario;

namespace Elb.Commands.Tests;

public class AddBackendServerRulesTests
{
    private static readonly Guid MemberId = Guid.Parse("00000000-0000-0000-0000-0000000000c1");

    private static AddBackendServer Command(string? address = "10.0.1.7", int? port = 8080, int? weight = null,
        Guid? poolId = null) => new(Project, LoadBalancerId, poolId ?? PoolId, address, port, weight);

    [Fact]
    public void A_member_defaults_to_weight_1()
    {
        var decision = AddBackendServerRules.Decide(WithPool(), Command(), MemberId, Now);

        var added = Assert.IsType<BackendServerAdded>(Assert.Single(decision.Events));
        Assert.Equal((MemberId, "10.0.1.7", 8080, 1, Now), (added.MemberId, added.Address, added.ProtocolPort,
            added.Weight, added.AddedAt));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Weights_0_to_100_are_accepted(int weight)
    {
        Assert.Null(AddBackendServerRules.Decide(WithPool(), Command(weight: weight), MemberId, Now).Violation);
    }

    [Theory]
    [InlineData(null, 80, null, "ELB.MissingField")]
    [InlineData("10.0.1.7", null, null, "ELB.MissingField")]
    [InlineData("fe80::1", 80, null, "ELB.InvalidMemberAddress")]
    [InlineData("not-an-ip", 80, null, "ELB.InvalidMemberAddress")]
    [InlineData("10.0.1.7", 0, null, "ELB.InvalidProtocolPort")]
    [InlineData("10.0.1.7", 65536, null, "ELB.InvalidProtocolPort")]
    [InlineData("10.0.1.7", 80, -1, "ELB.InvalidWeight")]
    [InlineData("10.0.1.7", 80, 101, "ELB.InvalidWeight")]
    public void Invalid_members_are_refused_naming_the_value(string? address, int? port, int? weight, string errorCode)
    {
        var decision = AddBackendServerRules.Decide(WithPool(), Command(address, port, weight), MemberId, Now);

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void An_address_and_port_already_in_the_pool_is_a_conflict()
    {
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.1.7", 8080));

        var decision = AddBackendServerRules.Decide(state, Command(), MemberId, Now);

        Assert.Equal(("ELB.DuplicateMember", 409), (decision.Violation?.ErrorCode, decision.Violation?.Status));
        Assert.Contains("10.0.1.7:8080", decision.Violation!.Message);
    }

    [Fact]
    public void An_unknown_pool_is_not_found()
    {
        var decision = AddBackendServerRules.Decide(WithPool(), Command(poolId: Guid.NewGuid()), MemberId, Now);

        Assert.Equal(("ELB.PoolNotFound", 404), (decision.Violation?.ErrorCode, decision.Violation?.Status));
    }
}
