using Elb.Commands.LoadBalancers;
using static Elb.Commands.Tests.LoadBalancerScenario;

namespace Elb.Commands.Tests;

public class CreateLoadBalancerRulesTests
{
    private static CreateLoadBalancer Command(string? vpc = "vpc-1", IReadOnlyList<string>? zones = null) =>
        new(Project, "web", vpc, zones ?? ["az-1"], true);

    [Fact]
    public void A_valid_request_records_LoadBalancerCreated_with_the_handlers_id_and_time()
    {
        var decision = CreateLoadBalancerRules.Decide(Command(zones: ["az-1", "az-1", "az-2"]), LoadBalancerId, Now);

        Assert.Null(decision.Violation);
        var created = Assert.IsType<LoadBalancerCreated>(Assert.Single(decision.Events));
        Assert.Equal(LoadBalancerId, created.LoadBalancerId);
        Assert.Equal(Now, created.CreatedAt);
        Assert.Equal(["az-1", "az-2"], created.AvailabilityZoneList);
    }

    [Fact]
    public void A_load_balancer_needs_a_vpc()
    {
        var decision = CreateLoadBalancerRules.Decide(Command(vpc: " "), LoadBalancerId, Now);

        Assert.Equal("ELB.MissingField", decision.Violation?.ErrorCode);
        Assert.Contains("vpc_id", decision.Violation!.Message);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_load_balancer_needs_at_least_one_availability_zone()
    {
        var decision = CreateLoadBalancerRules.Decide(Command(zones: []), LoadBalancerId, Now);

        Assert.Equal("ELB.AvailabilityZoneRequired", decision.Violation?.ErrorCode);
        Assert.Equal(400, decision.Violation!.Status);
    }
}
