using System.Net.Http.Headers;
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
/// <remarks>Server GC, as the node runs (the Web SDK's default).</remarks>
[MemoryDiagnoser]
[GcServer(true)]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class TableBuildBenchmarks
{
    private const int LoadBalancers = 10_000;
    private const int MembersEach = 50;

    private List<LoadBalancer> _snapshot = null!;
    private ControlPlaneClient _controlPlane = null!;

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
        // The gateway's answer, byte for byte: it serializes the same record with the same options.
        var answer = JsonSerializer.SerializeToUtf8Bytes(new RoutingSnapshot(_snapshot), ElbJson.Options);
        _controlPlane = new ControlPlaneClient(new RecordedGateway(answer));
    }

    /// <summary>Routing tables from load balancers already in memory.</summary>
    [Benchmark]
    public int BuildTables()
    {
        var table = new RoutingTable();
        table.LoadAll(_snapshot);
        return table.Current.Pools.Count;
    }

    /// <summary>
    /// What a node does at start (<see cref="InitialSnapshotLoader"/>), from the gateway's answer streaming in to the
    /// routing table swapped: the node's own client reads the response, then the table takes it.
    /// </summary>
    [Benchmark]
    public async Task<int> ReadSnapshotAndBuildTables()
    {
        var table = new RoutingTable();
        table.LoadAll(await _controlPlane.GetAllAsync(CancellationToken.None));
        return table.Current.Pools.Count;
    }

    /// <summary>Answers every request with the recorded snapshot, as a stream like a socket's.</summary>
    private sealed class RecordedGateway(byte[] answer) : HttpMessageHandler, IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://gateway/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(answer, writable: false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content });
        }
    }
}
