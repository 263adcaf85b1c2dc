using System.Runtime.CompilerServices;
using Elb.Commands.BackendServerGroups;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class LoadBalancingAlgorithmsTests
{
    [Theory]
    [InlineData(LbAlgorithm.RoundRobin)]
    [InlineData(LbAlgorithm.LeastConnections)]
    [InlineData(LbAlgorithm.SourceIp)]
    public void Each_algorithm_the_control_plane_accepts_is_made_as_itself(LbAlgorithm algorithm)
    {
        Assert.Equal(algorithm, Runtime(Weighted(algorithm, 1, 1)).Algorithm.Kind);
    }

    [Fact]
    public void An_algorithm_the_node_does_not_know_fails_loudly_instead_of_routing_some_other_way()
    {
        var unknown = (LbAlgorithm)99;

        var error = Assert.Throws<SwitchExpressionException>(() => Runtime(Weighted(unknown, 1, 1)));

        Assert.Equal(unknown, error.UnmatchedValue);
    }
}
