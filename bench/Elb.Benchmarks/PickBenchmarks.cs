using BenchmarkDotNet.Attributes;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;

namespace Elb.Benchmarks;

/// <summary>
/// The cost of one pick, per algorithm and pool size, with a quarter of the members in slow start (their ramp is
/// live: the clock is read and the schedule refreshed as in production).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PickBenchmarks
{
    private const int PicksPerInvoke = 1_000;

    private PoolRuntime _runtime = null!;
    private ulong[] _clients = null!;

    [Params(2, 50, 492)]
    public int Members { get; set; }

    [Params(LbAlgorithm.RoundRobin, LbAlgorithm.LeastConnections, LbAlgorithm.SourceIp)]
    public LbAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var members = Enumerable.Range(0, Members).Select(i => new RouteMember(Guid.NewGuid(), $"10.0.{i / 250}.{i % 250 + 1}", 80,
            1 + i % 10, MemberOperatingStatus.Online, "az-1",
            i % 4 == 3 ? now.AddSeconds(-60) : null, i % 4 == 3 ? now.AddSeconds(3600) : null));
        var route = new PoolRoute(Guid.NewGuid(), Guid.NewGuid(), Protocol.Http, Algorithm, null, [.. members]);
        _runtime = new PoolRuntime(route, _ => new MemberCounters(), null, TimeProvider.System, SharedRandomSource.Instance);
        _clients = [.. Enumerable.Range(0, PicksPerInvoke).Select(i => StableHash.OfClient($"192.168.{i / 250}.{i % 250}"))];
        for (var i = 0; i < Members; i++) for (var c = 0; c < i % 7; c++) _runtime.Counters[i].Start();
        _runtime.Algorithm.Pick(default);
    }

    [Benchmark(OperationsPerInvoke = PicksPerInvoke)]
    public int Pick()
    {
        var algorithm = _runtime.Algorithm;
        var last = 0;
        foreach (var client in _clients) last = algorithm.Pick(new PickRequest(client));
        return last;
    }
}
