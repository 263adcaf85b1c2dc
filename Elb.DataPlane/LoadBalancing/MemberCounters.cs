namespace Elb.DataPlane.LoadBalancing;

/// <summary>What one member is handling; kept across configuration changes and updated without locks.</summary>
public sealed class MemberCounters
{
    private int _active;
    private long _handled;
    private long _failures;

    public int Active => Volatile.Read(ref _active);
    public long Handled => Interlocked.Read(ref _handled);
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Counts a request or connection the member takes; dispose the lease when it ends.</summary>
    public Lease Start()
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _handled);
        return new Lease(this);
    }

    public void Failed() => Interlocked.Increment(ref _failures);

    public readonly struct Lease(MemberCounters counters) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref counters._active);
    }
}
