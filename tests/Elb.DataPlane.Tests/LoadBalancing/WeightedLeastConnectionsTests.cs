using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.LoadBalancing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class WeightedLeastConnectionsTests
{
    [Fact]
    public void The_member_with_fewest_connections_per_weight_is_picked_and_ties_take_turns()
    {
        var runtime = Runtime(Weighted(LbAlgorithm.LeastConnections, 1, 1, 1));

        Assert.Equal([0, 1, 2, 0], runtime.Algorithm.Picks(4));

        var lease = runtime.Counters[0].Start();
        Assert.Equal([1, 2, 1, 2], runtime.Algorithm.Picks(4));
        lease.Dispose();
    }

    [Fact]
    public void Weight_scales_how_many_connections_a_member_should_hold()
    {
        var runtime = Runtime(Weighted(LbAlgorithm.LeastConnections, 1, 3));
        var held = new int[2];

        for (var i = 0; i < 40; i++)
        {
            var picked = runtime.Algorithm.Pick(default);
            held[picked]++;
            _ = runtime.Counters[picked].Start();
        }

        Assert.Equal([10, 30], held);
    }

    [Fact]
    public void Large_pools_compare_two_random_members()
    {
        var weights = Enumerable.Repeat(1, WeightedLeastConnections.ExactScanLimit + 1).ToArray();
        var runtime = Runtime(Weighted(LbAlgorithm.LeastConnections, weights), random: new ScriptedRandom(5, 9));
        _ = runtime.Counters[5].Start();

        // draws 5 and then 9 (the second draw skips past the first): 9 holds fewer connections
        Assert.Equal(10, runtime.Algorithm.Pick(default));
    }
}
