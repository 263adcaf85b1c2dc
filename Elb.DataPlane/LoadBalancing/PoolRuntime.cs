using Elb.Commands.Listeners;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// The live side of one pool: its algorithm with its state, the members' counters and the sticky table, for one
/// <see cref="PoolRoute"/>. Kept while the pool routes alike and replaced (then disposed) when it does not; counters
/// and sticky ties carry over by member id.
/// </summary>
public sealed class PoolRuntime : IDisposable
{
    private readonly bool[] _takesRequests;
    private readonly Dictionary<Guid, int> _indexById;

    public PoolRuntime(PoolRoute route, Func<Guid, MemberCounters> counters, SessionAffinity? affinity,
        TimeProvider time, IRandomSource random)
    {
        Route = route;
        Affinity = affinity;
        Counters = [.. route.Members.Select(m => counters(m.Id))];
        var candidates = Eligibility.Candidates(route);
        Algorithm = LoadBalancingAlgorithms.Create(route, candidates, Counters, time, random);
        _takesRequests = new bool[route.Members.Length];
        foreach (var candidate in candidates) _takesRequests[candidate] = true;
        _indexById = route.Members.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var scheme = route.Protocol == Protocol.Https ? "https" : "http";
        Destinations = [.. route.Members.Select(m => new UriBuilder(scheme, m.Address, m.ProtocolPort).Uri.AbsoluteUri)];
    }

    public PoolRoute Route { get; }

    public ILoadBalancingAlgorithm Algorithm { get; }

    /// <summary>Aligned with <see cref="PoolRoute.Members"/>.</summary>
    public MemberCounters[] Counters { get; }

    public SessionAffinity? Affinity { get; }

    /// <summary>Where HTTP requests for each member go (<c>http://address:port/</c>), aligned with <see cref="PoolRoute.Members"/>.</summary>
    public string[] Destinations { get; }

    /// <summary>Whether the member at this index may take new requests (with failing open when none is healthy).</summary>
    public bool TakesNewRequests(int index) => _takesRequests[index];

    /// <summary>
    /// The member for a new request: the client's sticky member while it may take requests, otherwise the
    /// algorithm's pick (which then becomes the client's sticky member). -1 when no member can take it.
    /// </summary>
    public int Choose(in ClientRequest request)
    {
        if (Affinity?.Find(request) is { } tied && _indexById.TryGetValue(tied, out var index) && TakesNewRequests(index))
        {
            Affinity.Remember(request, tied);
            return index;
        }
        var picked = Algorithm.Pick(new PickRequest(request.ClientAddress is { } address ? StableHash.OfClient(address) : 0));
        if (picked >= 0) Affinity?.Remember(request, Route.Members[picked].Id);
        return picked;
    }

    /// <summary>Stops the algorithm's background work; requests that still hold this runtime can go on picking.</summary>
    public void Dispose() => Algorithm.Dispose();
}
