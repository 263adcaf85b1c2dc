using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.LoadBalancing;

/// <param name="ClientHash">The <see cref="StableHash.OfClient"/> of the client's address (used by SOURCE_IP).</param>
public readonly record struct PickRequest(ulong ClientHash);

/// <summary>
/// A load-balancing algorithm over one pool's members: small, named, and blind to HTTP. Disposing it stops what it
/// runs in the background (a slow-start ramp's timer) once its pool routes otherwise.
/// </summary>
public interface ILoadBalancingAlgorithm : IDisposable
{
    LbAlgorithm Kind { get; }

    /// <summary>The index in <see cref="PoolRoute.Members"/> for a new request, or -1 when no member can take one.</summary>
    int Pick(in PickRequest request);
}

/// <summary>Randomness as a dependency, so tests are exact.</summary>
public interface IRandomSource
{
    int Next(int exclusiveMax);
}

public sealed class SharedRandomSource : IRandomSource
{
    public static readonly SharedRandomSource Instance = new();

    public int Next(int exclusiveMax) => Random.Shared.Next(exclusiveMax);
}

public static class LoadBalancingAlgorithms
{
    /// <param name="candidates">The members that may take new requests (<see cref="Eligibility.Candidates"/>).</param>
    /// <exception cref="System.Runtime.CompilerServices.SwitchExpressionException">
    /// The route names an algorithm no case of <see cref="LbAlgorithm"/> names: the control plane accepts none such,
    /// so a node that routed it some other way would hide a version mismatch behind a plausible distribution.
    /// </exception>
    public static ILoadBalancingAlgorithm Create(PoolRoute route, int[] candidates, MemberCounters[] counters,
        TimeProvider time, IRandomSource random) => route.LbAlgorithm switch
    {
        LbAlgorithm.RoundRobin => new WeightedRoundRobin(route, candidates, time),
        LbAlgorithm.LeastConnections => new WeightedLeastConnections(route, candidates, counters, time, random),
        LbAlgorithm.SourceIp => new SourceIpHash(route, candidates),
    };
}
