using Elb.Commands.BackendServerGroups;
using static Elb.Commands.Tests.LoadBalancerScenario;

namespace Elb.Commands.Tests;

public class CreateBackendServerGroupRulesTests
{
    private static readonly Guid NewPoolId = Guid.Parse("00000000-0000-0000-0000-0000000000b2");

    private static CreateBackendServerGroup Command(string project = Project, string? protocol = "HTTP",
        string? algorithm = "ROUND_ROBIN") => new(project, LoadBalancerId, "api", protocol, algorithm);

    [Fact]
    public void A_valid_pool_is_recorded_in_its_load_balancers_stream()
    {
        var decision = CreateBackendServerGroupRules.Decide(Evolve(Created()), Command(), NewPoolId, Now);

        var created = Assert.IsType<BackendServerGroupCreated>(Assert.Single(decision.Events));
        Assert.Equal((NewPoolId, LoadBalancerId, "HTTP", "ROUND_ROBIN"),
            (created.PoolId, created.LoadBalancerId, created.Protocol, created.LbAlgorithm));
    }

    [Theory]
    [InlineData(null, "ROUND_ROBIN", "ELB.MissingField")]
    [InlineData("HTTP", null, "ELB.MissingField")]
    [InlineData("SMTP", "ROUND_ROBIN", "ELB.UnsupportedProtocol")]
    [InlineData("HTTP", "RANDOM", "ELB.UnsupportedAlgorithm")]
    public void Protocol_and_algorithm_must_be_given_and_known(string? protocol, string? algorithm, string errorCode)
    {
        var decision = CreateBackendServerGroupRules.Decide(Evolve(Created()), Command(protocol: protocol,
            algorithm: algorithm), NewPoolId, Now);

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_load_balancer_of_another_project_is_not_found()
    {
        var decision = CreateBackendServerGroupRules.Decide(Evolve(Created()), Command(project: "project-b"),
            NewPoolId, Now);

        Assert.Equal(("ELB.LoadBalancerNotFound", 404), (decision.Violation?.ErrorCode, decision.Violation?.Status));
    }
}
