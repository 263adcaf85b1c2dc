using Elb.DataPlane.LoadBalancing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class LoadBalancingAlgorithmsTests
{
    [Theory]
    [InlineData(LoadBalancingAlgorithms.RoundRobin)]
    [InlineData(LoadBalancingAlgorithms.LeastConnections)]
    [InlineData(LoadBalancingAlgorithms.SourceIp)]
    public void Each_algorithm_the_control_plane_accepts_is_made_under_its_name(string algorithm)
    {
        Assert.Equal(algorithm, Runtime(Weighted(algorithm, 1, 1)).Algorithm.Name);
    }

    [Fact]
    public void An_algorithm_the_node_does_not_know_fails_loudly_instead_of_routing_some_other_way()
    {
        var error = Assert.Throws<ArgumentException>(() => Runtime(Weighted("WEIGHTED_RANDOM", 1, 1)));

        Assert.Contains("WEIGHTED_RANDOM", error.Message);
    }
}
