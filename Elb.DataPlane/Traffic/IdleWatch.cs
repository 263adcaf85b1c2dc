namespace Elb.DataPlane.Traffic;

/// <summary>
/// Cancels a relay after <c>timeout</c> without traffic. Traffic only stamps the time, so the data path does no timer
/// work; the timer wakes when the timeout would be up since the last stamp it knew of, and sleeps again for what is
/// left.
/// </summary>
public sealed class IdleWatch : IDisposable
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    // Never disposed: it owns no timer, and the watch's timer may still be about to cancel it.
    private readonly CancellationTokenSource _idle = new();
    private readonly ITimer _timer;
    private long _lastActive;

    public IdleWatch(TimeSpan timeout, TimeProvider time)
    {
        _timeout = timeout;
        _time = time;
        _lastActive = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Check(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancelled once the relay has been idle for the timeout.</summary>
    public CancellationToken Idle => _idle.Token;

    public void Touch() => Volatile.Write(ref _lastActive, _time.GetTimestamp());

    private void Check()
    {
        var left = _timeout - _time.GetElapsedTime(Volatile.Read(ref _lastActive));
        if (left <= TimeSpan.Zero) _idle.Cancel();
        else _timer.Change(left, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}
