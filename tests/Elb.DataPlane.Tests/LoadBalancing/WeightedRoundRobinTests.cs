using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.LoadBalancing;
using Microsoft.Extensions.Time.Testing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class WeightedRoundRobinTests
{
    [Fact]
    public void Smooth_weighted_round_robin_interleaves_exactly_as_nginx()
    {
        var picks = Runtime(Weighted(LbAlgorithm.RoundRobin, 5, 1, 1)).Algorithm.Picks(14);

        Assert.Equal([0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0], picks);
    }

    [Theory]
    [InlineData(new[] { 1, 2, 5 })]
    [InlineData(new[] { 3, 7, 11, 13 })]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 10 })]
    [InlineData(new[] { 100, 1, 50, 37, 99, 2 })]
    public void Any_window_of_total_weight_picks_gives_each_member_exactly_its_weight(int[] weights)
    {
        var total = weights.Sum();
        var picks = Runtime(Weighted(LbAlgorithm.RoundRobin, weights)).Algorithm.Picks(3 * total);

        for (var start = 0; start + total <= picks.Length; start++)
        {
            var window = picks.Skip(start).Take(total).ToArray();
            for (var m = 0; m < weights.Length; m++) Assert.Equal(weights[m], window.Count(p => p == m));
        }
    }

    [Fact]
    public void Every_prefix_stays_within_one_pick_of_the_weighted_share()
    {
        var weights = new[] { 1, 2, 5 };
        var picks = Runtime(Weighted(LbAlgorithm.RoundRobin, weights)).Algorithm.Picks(400);

        for (var length = 1; length <= picks.Length; length++)
        {
            for (var m = 0; m < weights.Length; m++)
            {
                Assert.InRange(picks.Take(length).Count(p => p == m) - length * weights[m] / 8.0, -1.0, 1.0);
            }
        }
    }

    [Fact]
    public void A_slow_starting_member_gets_its_ramped_share_and_full_share_after_the_window()
    {
        var clock = new FakeTimeProvider(T0.AddSeconds(50));
        var route = Route(LbAlgorithm.RoundRobin, Member(10, n: 0), Member(10, n: 1, slowStartFrom: T0, slowStartSeconds: 100));
        var algorithm = Runtime(route, clock).Algorithm;

        var halfway = algorithm.Picks(300);
        clock.Advance(TimeSpan.FromSeconds(50));
        var after = algorithm.Picks(300);

        Assert.Equal(100, halfway.Count(p => p == 1));
        Assert.Equal(150, after.Count(p => p == 1));
    }
}
