using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.LoadBalancing;
using Microsoft.Extensions.Time.Testing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class CandidateWeightsTests
{
    [Fact]
    public void A_ramp_is_recomputed_once_per_step_by_its_timer_and_no_more_once_it_is_over()
    {
        var time = new FakeTimeProvider(T0.AddSeconds(30));
        // A 60 s window is followed in 1 s steps; 30 s of it are left.
        var route = Route(LbAlgorithm.RoundRobin, Member(10, n: 0), Member(10, n: 1, slowStartFrom: T0, slowStartSeconds: 60));
        var refreshed = new List<double[]>();
        using var weights = new CandidateWeights(route, [0, 1], time, refreshed.Add);
        Assert.Equal([10, 5], weights.Current);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([10, 10 * 31 / 60.0], weights.Current);
        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.Equal([10, 10 * 31 / 60.0], weights.Current);

        time.Advance(TimeSpan.FromMilliseconds(100));
        for (var second = 33; second <= 60; second++) time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([10, 10], weights.Current);
        Assert.Same(refreshed[^1], weights.Current);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1 + 30, refreshed.Count);
    }

    [Fact]
    public void Weights_without_a_ramp_are_computed_once()
    {
        var time = new FakeTimeProvider(T0);
        var refreshed = 0;
        using var weights = new CandidateWeights(Weighted(LbAlgorithm.RoundRobin, 3, 1), [0, 1], time, _ => refreshed++);

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(1, refreshed);
        Assert.Equal([3, 1], weights.Current);
    }

    [Fact]
    public void A_disposed_ramp_stops_stepping()
    {
        var time = new FakeTimeProvider(T0);
        var route = Route(LbAlgorithm.RoundRobin, Member(10, n: 0, slowStartFrom: T0, slowStartSeconds: 60));
        var refreshed = 0;
        var weights = new CandidateWeights(route, [0], time, _ => refreshed++);

        weights.Dispose();
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(1, refreshed);
    }
}
