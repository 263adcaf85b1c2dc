using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// LEAST_CONNECTIONS: the member with the fewest active connections per unit of effective weight. Pools up to
/// <see cref="ExactScanLimit"/> members are scanned whole, starting one further each pick so ties take turns;
/// larger pools compare two members drawn at random (power of two choices, Envoy's default), which keeps a pick
/// O(1) and lands within a small factor of the exact choice.
/// </summary>
/// <param name="counters">Aligned with the route's members.</param>
public sealed class WeightedLeastConnections(PoolRoute route, int[] candidates, MemberCounters[] counters, TimeProvider time,
    IRandomSource random) : ILoadBalancingAlgorithm
{
    public const int ExactScanLimit = 16;

    private readonly CandidateWeights _weights = new(route, candidates, time);

    private int _start;

    public LbAlgorithm Kind => LbAlgorithm.LeastConnections;

    public int Pick(in PickRequest request)
    {
        var weight = _weights.Current;
        var count = candidates.Length;
        if (count == 0) return -1;
        if (count > ExactScanLimit)
        {
            var first = random.Next(count);
            var second = random.Next(count - 1);
            if (second >= first) second++;
            return candidates[Lighter(second, first, candidates, weight)];
        }

        // A racing picker may read the same start: it only makes one tie less fair.
        var start = Volatile.Read(ref _start) % count;
        var best = start;
        for (var step = 1; step < count; step++)
        {
            var i = start + step;
            if (i >= count) i -= count;
            best = Lighter(i, best, candidates, weight);
        }
        Volatile.Write(ref _start, best + 1);
        return candidates[best];
    }

    /// <summary><paramref name="challenger"/> if its load per weight is strictly lower, else <paramref name="holder"/>.</summary>
    private int Lighter(int challenger, int holder, int[] candidates, double[] weight) =>
        counters[candidates[challenger]].Active * weight[holder] < counters[candidates[holder]].Active * weight[challenger]
            ? challenger
            : holder;

    public void Dispose() => _weights.Dispose();
}
