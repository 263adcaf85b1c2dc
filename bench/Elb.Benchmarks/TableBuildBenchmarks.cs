using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands;
using Elb.DataPlane.Routing;

namespace Elb.Benchmarks;

/// <summary>A node starting on a control plane of 10,000 load balancers with 50 members each.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TableBuildBenchmarks
{
    private const int LoadBalancers = 10_000;
    private const int MembersEach = 50;

    private List<LoadBalancer> _snapshot = null!;
    private byte[] _snapshotJson = null!;

    private sealed record AllSnapshots(List<LoadBalancer> LoadBalancers);

    [GlobalSetup]
    public void Setup()
    {
        var at = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
        _snapshot = [.. Enumerable.Range(0, LoadBalancers).Select(lb =>
        {
            var pool = new Pool(Guid.NewGuid(), "pool", "", null, Protocol.Http, LbAlgorithm.RoundRobin, "", null, SlowStartSettings.Disabled,
                false, null, ConnectionDrain.Disabled, [.. Enumerable.Range(0, MembersEach).Select(m => new Member(Guid.NewGuid(), "", $"10.{lb / 250 % 250}.{lb % 250}.{m + 1}",
                    80, 1 + m % 5, "ip", null, null, "az-1", null, MemberOperatingStatus.NoMonitor, null, MemberSlowStart.None, at, at))], at, at);
            return new LoadBalancer(Guid.NewGuid(), "bench", "lb", "", "vpc-1", null, null, ["az-1"], true, true, [], [pool], at, at, 3 + MembersEach);
        })];
        _snapshotJson = JsonSerializer.SerializeToUtf8Bytes(new AllSnapshots(_snapshot), ElbJson.Options);
    }

    /// <summary>Routing tables from load balancers already in memory.</summary>
    [Benchmark]
    public int BuildTables()
    {
        var table = new RoutingTable();
        foreach (var loadBalancer in _snapshot) table.Load(loadBalancer);
        return table.Current.Pools.Count;
    }

    /// <summary>What a node does at start: read the snapshot's JSON, then build the tables.</summary>
    [Benchmark]
    public int ReadSnapshotAndBuildTables()
    {
        var snapshot = JsonSerializer.Deserialize<AllSnapshots>(_snapshotJson, ElbJson.Options)!;
        var table = new RoutingTable();
        foreach (var loadBalancer in snapshot.LoadBalancers) table.Load(loadBalancer);
        return table.Current.Pools.Count;
    }
}
