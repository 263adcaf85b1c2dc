using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// ROUND_ROBIN: weighted round robin in smooth order. The schedule is built when the weights change (at the start, and
/// at each slow-start ramp step on the ramp's timer), so a pick is one array read; the turn is this instance's, and
/// the instance lives as long as its pool routes alike (see <see cref="RoutingRuntime"/>).
/// </summary>
public sealed class WeightedRoundRobin : ILoadBalancingAlgorithm
{
    private readonly CandidateWeights _weights;
    private int[] _schedule = [];
    private uint _turn;

    public WeightedRoundRobin(PoolRoute route, int[] candidates, TimeProvider time) =>
        _weights = new CandidateWeights(route, candidates, time,
            weights => Volatile.Write(ref _schedule, [.. SmoothSchedule.Build(weights).Select(i => candidates[i])]));

    public LbAlgorithm Kind => LbAlgorithm.RoundRobin;

    public int Pick(in PickRequest request)
    {
        var schedule = Volatile.Read(ref _schedule);
        if (schedule.Length == 0) return -1;
        var turn = Interlocked.Increment(ref _turn) - 1;
        return schedule[turn % (uint)schedule.Length];
    }

    public void Dispose() => _weights.Dispose();
}
