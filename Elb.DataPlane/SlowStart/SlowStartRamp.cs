using Elb.DataPlane.Routing;

namespace Elb.DataPlane.SlowStart;

/// <summary>
/// A slow-starting member's share grows linearly from its start to full weight at the end of its window, never
/// below <see cref="MinimumFraction"/> of its weight so it is not starved at the start (Envoy's min_weight_percent);
/// after the window it has full weight for good.
/// </summary>
public static class SlowStartRamp
{
    public const double MinimumFraction = 0.1;

    public static double Factor(RouteMember member, DateTimeOffset now)
    {
        if (member is not { SlowStartStartedAt: { } start, SlowStartEndsAt: { } end } || now >= end) return 1;
        var progress = (now - start) / (end - start);
        return Math.Max(MinimumFraction, progress);
    }

    public static bool IsRamping(RouteMember member, DateTimeOffset now) => Factor(member, now) < 1;
}
