using Elb.DataPlane.Routing;
using Elb.DataPlane.SlowStart;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The effective weights of a pool's candidates. They change only while a member ramps up in slow start: then a timer
/// recomputes them once per ramp step, on its own thread, and hands them to <c>refreshed</c> (where an algorithm
/// derives what it picks from, such as a schedule) before publishing them. A pick only reads. Dispose to stop the
/// timer once the pool's runtime is replaced.
/// </summary>
public sealed class CandidateWeights : IDisposable
{
    /// <summary>A ramp is followed in steps of at least this much, and at least 60 steps per window.</summary>
    public static readonly TimeSpan MinimumRefresh = TimeSpan.FromMilliseconds(250);

    private readonly PoolRoute _route;
    private readonly TimeProvider _time;
    private readonly Action<double[]> _refreshed;
    private readonly ITimer? _rampStep;
    private double[] _current;

    /// <param name="candidates">Indexes into the route's members of those that may take new requests.</param>
    /// <param name="refreshed">Called with the first weights, here, and with each ramp step's, on the timer's thread.</param>
    public CandidateWeights(PoolRoute route, int[] candidates, TimeProvider time, Action<double[]>? refreshed = null)
    {
        _route = route;
        _time = time;
        _refreshed = refreshed ?? (_ => { });
        Candidates = candidates;
        var now = time.GetUtcNow();
        _current = Refresh(now, out var nextStep);
        if (nextStep is not { } at) return;
        // Started only once assigned: a step due at once must find the timer to schedule the next one.
        _rampStep = time.CreateTimer(_ => Step(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _rampStep.Change(at - now, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Indexes into the route's members of those that may take new requests.</summary>
    public int[] Candidates { get; }

    /// <summary>The effective weight of each candidate now (to the ramp step), aligned with <see cref="Candidates"/>.</summary>
    public double[] Current => Volatile.Read(ref _current);

    /// <summary>A one-shot timer, set again from its own callback: steps never overlap.</summary>
    private void Step()
    {
        var now = _time.GetUtcNow();
        Volatile.Write(ref _current, Refresh(now, out var nextStep));
        if (nextStep is not { } at) return;
        try
        {
            _rampStep!.Change(at > now ? at - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        // The pool's runtime was replaced during this step: nothing follows this ramp any more.
        catch (ObjectDisposedException)
        {
        }
    }

    private double[] Refresh(DateTimeOffset now, out DateTimeOffset? nextStep)
    {
        var weights = new double[Candidates.Length];
        nextStep = null;
        for (var i = 0; i < Candidates.Length; i++)
        {
            var member = _route.Members[Candidates[i]];
            weights[i] = Eligibility.EffectiveWeight(member, now);
            if (!SlowStartRamp.IsRamping(member, now)) continue;
            var window = member.SlowStartEndsAt!.Value - member.SlowStartStartedAt!.Value;
            var step = now + TimeSpan.FromTicks(Math.Max(MinimumRefresh.Ticks, window.Ticks / 60));
            var at = step < member.SlowStartEndsAt.Value ? step : member.SlowStartEndsAt.Value;
            nextStep = nextStep is { } earlier && earlier < at ? earlier : at;
        }
        _refreshed(weights);
        return weights;
    }

    public void Dispose() => _rampStep?.Dispose();
}
