using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.Egress;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Elb.DataPlane.Traffic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Elb.DataPlane.Tests;

/// <summary>Returns the scripted numbers in turn (each taken modulo the bound asked for).</summary>
public sealed class ScriptedRandom(params int[] numbers) : IRandomSource
{
    private int _next;

    public int Next(int exclusiveMax) => numbers[_next++ % numbers.Length] % exclusiveMax;
}

public static class Pools
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static RouteMember Member(int weight, MemberOperatingStatus status = MemberOperatingStatus.NoMonitor, int n = 0,
        DateTimeOffset? slowStartFrom = null, int slowStartSeconds = 100) =>
        new(Guid.Parse($"00000000-0000-0000-0000-{n + 1:D12}"), $"10.0.0.{n + 1}", 80, weight, status, "az-1",
            slowStartFrom, slowStartFrom?.AddSeconds(slowStartSeconds));

    public static PoolRoute Route(LbAlgorithm algorithm, params RouteMember[] members) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Protocol.Http, algorithm, null, [.. members]);

    public static PoolRoute Weighted(LbAlgorithm algorithm, params int[] weights) =>
        Route(algorithm, [.. weights.Select((w, i) => Member(w, n: i))]);

    public static PoolRoute WithSticky(this PoolRoute route, StickySessionType type, int minutes = 1, string? cookie = null) =>
        route with { SessionPersistence = new SessionPersistence(type, cookie, minutes) };

    public static PoolRuntime Runtime(PoolRoute route, TimeProvider? time = null, IRandomSource? random = null)
    {
        time ??= new FakeTimeProvider(T0);
        return new(route, _ => new MemberCounters(),
            route.SessionPersistence is { } p ? new SessionAffinity(p, time, new StickyTableOptions()) : null, time, random ?? new ScriptedRandom(0));
    }

    public static int[] Picks(this ILoadBalancingAlgorithm algorithm, int count, ulong clientHash = 0) =>
        [.. Enumerable.Range(0, count).Select(_ => algorithm.Pick(new PickRequest(clientHash)))];
}

public static class Relays
{
    /// <summary>What the TCP and UDP relays connect through, with the local profile's egress policy (loopback members allowed).</summary>
    public static MemberConnections Connections(TimeProvider? time = null, RoutingTable? table = null) =>
        new(table ?? new RoutingTable(), time ?? TimeProvider.System,
            new EgressGuard(EgressPolicy.Local(new HashSet<int>()), NullLogger<EgressGuard>.Instance, Meters()));

    public static IMeterFactory Meters() =>
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static NodeFaults Faults() => new(TimeProvider.System, NullLogger<NodeFaults>.Instance);

    /// <summary>A pool of one member at 127.0.0.1:<paramref name="port"/>.</summary>
    public static PoolRuntime LoopbackPool(int port) =>
        Pools.Runtime(Pools.Route(LbAlgorithm.RoundRobin, Pools.Member(1) with { Address = "127.0.0.1", ProtocolPort = port }));
}
