using Elb.DataPlane.Routing;
using Elb.DataPlane.SlowStart;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The effective weights of a pool's candidates. They change only while a member ramps up in slow start, so they
/// are computed once and recomputed at <see cref="Snapshot.RefreshAt"/>, not on every pick.
/// </summary>
public sealed class CandidateWeights
{
    /// <summary>A ramp is followed in steps of at least this much, and at least 60 steps per window.</summary>
    public static readonly TimeSpan MinimumRefresh = TimeSpan.FromMilliseconds(250);

    public sealed record Snapshot(double[] Weights, DateTimeOffset? RefreshAt);

    private readonly PoolRoute _route;
    private readonly TimeProvider _time;
    private Snapshot _current;

    public CandidateWeights(PoolRoute route, int[] candidates, TimeProvider time)
    {
        _route = route;
        _time = time;
        Candidates = candidates;
        _current = Compute(time.GetUtcNow());
    }

    /// <summary>Indexes into the route's members of those that may take new requests.</summary>
    public int[] Candidates { get; }

    public Snapshot Current()
    {
        var current = Volatile.Read(ref _current);
        if (current.RefreshAt is not { } refreshAt) return current;
        var now = _time.GetUtcNow();
        if (now < refreshAt) return current;
        var next = Compute(now);
        Volatile.Write(ref _current, next);
        return next;
    }

    private Snapshot Compute(DateTimeOffset now)
    {
        var weights = new double[Candidates.Length];
        DateTimeOffset? refreshAt = null;
        for (var i = 0; i < Candidates.Length; i++)
        {
            var member = _route.Members[Candidates[i]];
            weights[i] = Eligibility.EffectiveWeight(member, now);
            if (!SlowStartRamp.IsRamping(member, now)) continue;
            var window = member.SlowStartEndsAt!.Value - member.SlowStartStartedAt!.Value;
            var step = now + TimeSpan.FromTicks(Math.Max(MinimumRefresh.Ticks, window.Ticks / 60));
            var at = step < member.SlowStartEndsAt.Value ? step : member.SlowStartEndsAt.Value;
            refreshAt = refreshAt is { } earlier && earlier < at ? earlier : at;
        }
        return new Snapshot(weights, refreshAt);
    }
}
