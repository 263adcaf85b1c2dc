namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// nginx's smooth weighted round robin, played once ahead into a schedule so a pick is one array read: each turn
/// every member adds its weight to its score, the highest score is picked and loses the total. Over any Σw
/// consecutive picks each member is picked exactly its weight times, and the picks are interleaved evenly.
/// </summary>
public static class SmoothSchedule
{
    /// <summary>Bounds the schedule (and the work to build it) for huge weight sums; weights are then scaled down.</summary>
    public const int MaxLength = 65_536;

    /// <summary>Resolution of fractional weights (a ramping member): one tenth of a weight unit.</summary>
    private const int FractionScale = 10;

    /// <returns>The turn order, as positions in <paramref name="weights"/>.</returns>
    public static int[] Build(double[] weights)
    {
        var integral = ToIntegers(weights);
        var total = integral.Sum();
        var order = new int[total];
        var scores = new long[integral.Length];
        for (var turn = 0; turn < total; turn++)
        {
            var best = -1;
            for (var i = 0; i < integral.Length; i++)
            {
                if (integral[i] == 0) continue;
                scores[i] += integral[i];
                if (best < 0 || scores[i] > scores[best]) best = i;
            }
            scores[best] -= total;
            order[turn] = best;
        }
        return order;
    }

    private static int[] ToIntegers(double[] weights)
    {
        var whole = weights.All(w => w == Math.Floor(w));
        var scaled = weights.Select(w => w <= 0 ? 0 : Math.Max(1, (int)Math.Round(whole ? w : w * FractionScale))).ToArray();
        var sum = scaled.Sum();
        if (sum > MaxLength)
        {
            var factor = (double)MaxLength / sum;
            scaled = [.. scaled.Select(w => w == 0 ? 0 : Math.Max(1, (int)(w * factor)))];
        }
        var divisor = scaled.Where(w => w > 0).Aggregate(0, Gcd);
        return divisor > 1 ? [.. scaled.Select(w => w / divisor)] : scaled;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
