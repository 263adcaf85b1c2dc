namespace Elb.DataPlane.LoadBalancing;

/// <summary>ROUND_ROBIN: weighted round robin in smooth order; a pick reads the next slot of a precomputed schedule.</summary>
public sealed class WeightedRoundRobin(CandidateWeights weights) : ILoadBalancingAlgorithm
{
    private sealed record Schedule(CandidateWeights.Snapshot Source, int[] Order);

    private Schedule? _schedule;
    private uint _turn;

    public string Name => LoadBalancingAlgorithms.RoundRobin;

    public int Pick(in PickRequest request)
    {
        var current = weights.Current();
        var schedule = Volatile.Read(ref _schedule);
        if (!ReferenceEquals(schedule?.Source, current))
        {
            // Concurrent pickers may both rebuild from one snapshot; they build the same schedule.
            schedule = new Schedule(current, SmoothSchedule.Build(current.Weights));
            Volatile.Write(ref _schedule, schedule);
        }
        if (schedule.Order.Length == 0) return -1;
        var turn = Interlocked.Increment(ref _turn) - 1;
        return weights.Candidates[schedule.Order[turn % (uint)schedule.Order.Length]];
    }
}
