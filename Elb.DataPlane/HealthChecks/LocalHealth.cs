using System.Collections.Concurrent;
using System.Collections.Immutable;
using Elb.Commands.HealthChecks;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.HealthChecks;

/// <summary>
/// What this node's own probes say about members. It overrides the control plane's status on this node at once, so a
/// member that stops answering stops getting new requests here before the report has gone round.
/// </summary>
public sealed class LocalHealth
{
    private readonly ConcurrentDictionary<Guid, MemberOperatingStatus> _verdicts = new();
    private long _version;

    /// <summary>
    /// Changes whenever a verdict changes, on any member of the node: a pool's runtime built before may be stale, and
    /// is kept unless <see cref="Apply"/> now gives its pool other members.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>This node's own verdict on the member, if its probes have settled one.</summary>
    public MemberOperatingStatus? VerdictOn(Guid memberId) => _verdicts.TryGetValue(memberId, out var verdict) ? verdict : null;

    public void Set(Guid memberId, MemberOperatingStatus operatingStatus)
    {
        if (_verdicts.TryGetValue(memberId, out var current) && current == operatingStatus) return;
        _verdicts[memberId] = operatingStatus;
        Interlocked.Increment(ref _version);
    }

    public void Forget(Guid memberId)
    {
        if (_verdicts.TryRemove(memberId, out _)) Interlocked.Increment(ref _version);
    }

    /// <summary>The route with this node's verdicts in place of the control plane's statuses.</summary>
    public PoolRoute Apply(PoolRoute route) => route.Members.Any(m => _verdicts.ContainsKey(m.Id))
        ? route with
        {
            Members = [.. route.Members.Select(m => _verdicts.TryGetValue(m.Id, out var status) ? m with { OperatingStatus = status } : m)],
        }
        : route;

    public static MemberOperatingStatus StatusOf(bool healthy) => healthy ? MemberOperatingStatus.Online : MemberOperatingStatus.Offline;
}
