using Elb.Commands.Hosting;
using Elb.Commands.Messaging;
using Elb.DataPlane.Resilience;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Holds a change that arrived past a gap for a short grace before the gap is closed from the control plane. Each
/// command publishes its changes from its own outbox as it commits, so two commits on one load balancer can reach a
/// node a few milliseconds out of order; closing every such gap at once cost a snapshot read per reorder, the missing
/// change then arriving only to be dropped as a duplicate. When the missing versions arrive, the held changes that now
/// follow are applied in order; when the grace runs out first, the load balancer's snapshot is loaded as before and the
/// held changes newer than it are applied on top.
/// </summary>
/// <remarks>
/// The change handler runs inline, one message at a time, and the missing change is behind it in the same queue: it
/// only holds, and a timer closes the gap. The timer and the handler may race; <see cref="RoutingTable"/> checks
/// versions under its own lock, so whichever applies a change first wins and the other sees a duplicate. Held changes
/// are capped per load balancer and in total: past a cap the gap is closed at once, as without a grace.
/// </remarks>
public sealed class GapGrace(
    RoutingTable table,
    ControlPlaneClient controlPlane,
    ConvergenceMetrics metrics,
    NodeFaults faults,
    GapGraceOptions options,
    TimeProvider time,
    ILogger<GapGrace> logger) : IDisposable
{
    private const string Part = "closing a gap";

    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>One load balancer's held changes, by version, and the timer that closes its gap.</summary>
    private sealed record Held(SortedList<long, LoadBalancerChange> Changes, ITimer Timer);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Held> _held = [];
    private readonly CancellationTokenSource _stopping = new();
    private int _heldCount;
    private int _failures;

    /// <summary>How many changes wait for a missing version now.</summary>
    public int HeldCount
    {
        get
        {
            lock (_lock) return _heldCount;
        }
    }

    /// <summary>
    /// Takes a change <see cref="RoutingTable.Apply"/> found past a gap: held for the grace, or, past a cap, the gap is
    /// closed from the control plane at once (a failure to read it is thrown, for the message to be retried).
    /// </summary>
    public async Task HoldAsync(LoadBalancerChange change, CancellationToken cancellation)
    {
        if (TryHold(change)) return;
        // The snapshot holds this change as well: events are published only after they commit.
        if (await CloseFromControlPlaneAsync(change.LoadBalancerId, change.Version, cancellation)) metrics.Applied(change);
    }

    /// <summary>
    /// Applies the held changes of the load balancer that now follow its applied version, in order, and drops those
    /// the table already holds (a snapshot took them in): each has then reached this node's routing.
    /// </summary>
    public void ApplyFollowing(Guid loadBalancerId)
    {
        while (TakeFollowing(loadBalancerId) is { } change)
        {
            table.Apply(change);
            metrics.Applied(change);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_lock)
        {
            foreach (var held in _held.Values) held.Timer.Dispose();
            _held.Clear();
            _heldCount = 0;
        }
        _stopping.Dispose();
    }

    private bool TryHold(LoadBalancerChange change)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(change.LoadBalancerId, out var held))
            {
                // A redelivered copy is held once.
                if (held.Changes.ContainsKey(change.Version)) return true;
                if (held.Changes.Count >= options.MaxHeldPerLoadBalancer) return false;
            }
            if (_heldCount >= options.MaxHeld) return false;
            if (held is null)
            {
                held = new Held([], NewTimer(change.LoadBalancerId));
                _held.Add(change.LoadBalancerId, held);
            }
            held.Changes.Add(change.Version, change);
            _heldCount++;
            return true;
        }
    }

    private ITimer NewTimer(Guid loadBalancerId)
    {
        // Its callback runs outside the trace and logging scope of the change that revealed the gap, long handled by then.
        using (ExecutionContext.SuppressFlow())
        {
            return time.CreateTimer(CloseAfterGrace, loadBalancerId, options.Grace, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The lowest held change when the table holds it already or it is the next version; null otherwise.</summary>
    private LoadBalancerChange? TakeFollowing(Guid loadBalancerId)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(loadBalancerId, out var held)) return null;
            var lowest = held.Changes.GetValueAtIndex(0);
            if (lowest.Version > table.Current.AppliedVersion(loadBalancerId) + 1) return null;
            held.Changes.RemoveAt(0);
            _heldCount--;
            if (held.Changes.Count == 0) Release(loadBalancerId, held);
            return lowest;
        }
    }

    /// <summary>Takes every held change of the load balancer out; returns the highest version held, if any.</summary>
    private long? ReleaseAll(Guid loadBalancerId)
    {
        lock (_lock)
        {
            if (!_held.TryGetValue(loadBalancerId, out var held)) return null;
            _heldCount -= held.Changes.Count;
            Release(loadBalancerId, held);
            return held.Changes.GetKeyAtIndex(held.Changes.Count - 1);
        }
    }

    private void Release(Guid loadBalancerId, Held held)
    {
        held.Timer.Dispose();
        _held.Remove(loadBalancerId);
    }

    /// <summary>
    /// Loads the load balancer from the control plane, which holds every change published so far, and applies the held
    /// changes newer than it; false when the control plane no longer has it, which is then forgotten with all it held.
    /// </summary>
    private async Task<bool> CloseFromControlPlaneAsync(Guid loadBalancerId, long gapVersion, CancellationToken cancellation)
    {
        logger.LogInformation("Gap at version {Version} of load balancer {LoadBalancerId}: loading its snapshot",
            gapVersion, loadBalancerId);
        if (await controlPlane.GetAsync(loadBalancerId, cancellation) is { } snapshot)
        {
            table.Load(snapshot);
            ApplyFollowing(loadBalancerId);
            return true;
        }
        table.Forget(loadBalancerId, Math.Max(gapVersion, ReleaseAll(loadBalancerId) ?? 0));
        return false;
    }

    private void CloseAfterGrace(object? loadBalancerId) => _ = CloseAfterGraceAsync((Guid)loadBalancerId!);

    /// <summary>
    /// The grace is over: the gap is closed from the control plane unless the missing versions came meanwhile. A failure
    /// never escapes (nothing would observe it): reported to <see cref="NodeFaults"/> and retried after a backoff.
    /// </summary>
    private async Task CloseAfterGraceAsync(Guid loadBalancerId)
    {
        var retryAfter = options.Grace;
        try
        {
            ApplyFollowing(loadBalancerId);
            if (LowestHeldVersion(loadBalancerId) is not { } gapVersion) return;
            await CloseFromControlPlaneAsync(loadBalancerId, gapVersion, _stopping.Token);
            Interlocked.Exchange(ref _failures, 0);
            faults.Clear(Part);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            faults.Report(Part, e);
            retryAfter = Backoff.After(Interlocked.Increment(ref _failures), options.Grace, LongestRetryDelay);
        }
        // Still held: a gap past the snapshot (revealed while it was read), or the read failed.
        RestartTimer(loadBalancerId, retryAfter);
    }

    private long? LowestHeldVersion(Guid loadBalancerId)
    {
        lock (_lock) return _held.TryGetValue(loadBalancerId, out var held) ? held.Changes.GetKeyAtIndex(0) : null;
    }

    private void RestartTimer(Guid loadBalancerId, TimeSpan after)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(loadBalancerId, out var held)) held.Timer.Change(after, Timeout.InfiniteTimeSpan);
        }
    }
}

/// <param name="Grace">How long a change past a gap waits for the missing versions before the gap is closed from the control plane.</param>
/// <param name="MaxHeldPerLoadBalancer">Held changes of one load balancer past which its gap is closed at once.</param>
/// <param name="MaxHeld">Held changes of all load balancers past which a gap is closed at once.</param>
public sealed record GapGraceOptions(TimeSpan Grace, int MaxHeldPerLoadBalancer, int MaxHeld)
{
    public static GapGraceOptions From(IConfiguration configuration) => new(
        TimeSpan.FromMilliseconds(configuration.GetValue("DataPlane:GapGraceMilliseconds", 100.0)),
        configuration.GetValue("DataPlane:MaxHeldChangesPerLoadBalancer", 32),
        configuration.GetValue("DataPlane:MaxHeldChanges", 1024));
}
