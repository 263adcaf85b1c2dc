using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Elb.IntegrationTests.Hosting;

/// <summary>
/// Traces and metrics as an operator reads them. The node runs in the test's process, so one tracer provider sees the
/// spans of the gateway, the relay (whichever gateway holds it) and the node: a trace is followed across RabbitMQ
/// through what Wolverine puts in the envelope, as between processes.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TelemetryTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_member_post_is_one_trace_from_the_request_through_the_command_the_store_the_relay_and_the_outbox_to_the_nodes_apply()
    {
        var spans = new CapturedSpans();
        await using var gateway = await fixture.StartGatewayAsync(builder => builder.ConfigureServices(services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddProcessor(spans))));
        await using var node = await fixture.StartDataPlaneAsync($"trace-{Guid.NewGuid():N}"[..20]);
        var api = new ElbApi(gateway);
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);

        var trace = ActivityTraceId.CreateRandom();
        using var client = TestIdentity.SignedClient(gateway, api.User!.AccessKey, api.User.SecretKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/{api.Project}/elb/pools/{poolId}/members")
        {
            Content = new StringContent("""{"member": {"address": "10.0.0.7", "protocol_port": 80}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await client.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);

        var expected = new Dictionary<string, Func<Activity, bool>>
        {
            ["the HTTP request"] = a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server,
            ["the command's handler"] = a => a.Source.Name == "Wolverine" && a.DisplayName.Contains("AddBackendServers"),
            ["a statement"] = a => a.Source.Name == "Npgsql",
            ["the relay's publish"] = a => a.Source.Name == "Elb" && a.DisplayName.StartsWith("relay "),
            ["the outbox's send"] = a => a.Source.Name == "Wolverine" && a.Kind == ActivityKind.Producer,
            ["a node's apply"] = a => a.Source.Name == "Elb" && a.DisplayName == "apply change"
                && a.GetTagItem("elb.loadbalancer_id") as string == loadBalancerId.ToString(),
        };
        IReadOnlyList<string> Missing() => [.. expected.Where(e => !spans.Of(trace).Any(e.Value)).Select(e => e.Key)];
        await Eventually.Until(() => Task.FromResult(Missing().Count == 0),
            $"the trace lacks {string.Join(", ", Missing())}; it has {string.Join(", ", spans.Of(trace).Select(a => $"{a.Source.Name}: {a.DisplayName}"))}",
            Within, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_refused_command_counts_in_the_gateways_metrics_by_its_error_code()
    {
        var api = new ElbApi(fixture.Gateway);
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());
        using var prometheus = TestIdentity.SignedClient(fixture.Gateway, TestIdentity.SystemAdmin.AccessKey, TestIdentity.SystemAdmin.SecretKey);
        (string, string) invalidWeight = ("error_code", "ELB.InvalidWeight");
        var before = await prometheus.GetStringAsync("/metrics");

        var (status, _) = await api.TrySendAsync(HttpMethod.Post, $"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.0.8", "protocol_port": 80, "weight": 1000}}""");

        Assert.Equal(400, status);
        // The exporter answers a scrape from its cache for 300 ms: the next ones count the refusal.
        double Refusals(string text) => PrometheusText.Sum(text, "elb_refusals_total", invalidWeight, ("status", "400"));
        double RefusedCommands(string text) =>
            PrometheusText.Sum(text, "elb_commands_total", ("command", "AddBackendServers"), ("outcome", "refused"), invalidWeight);
        var after = before;
        await Eventually.Until(async () =>
            {
                after = await prometheus.GetStringAsync("/metrics");
                return Refusals(after) > Refusals(before) && RefusedCommands(after) > RefusedCommands(before);
            }, "the refusal is counted", Within, TimeSpan.FromMilliseconds(100));
        Assert.True(PrometheusText.Sum(after, "elb_commands_total", ("command", "CreateBackendServerGroup"), ("outcome", "accepted")) > 0, after);
    }

    [Fact]
    public async Task A_nodes_metrics_are_prometheus_text_from_the_exporter_with_its_members_and_its_convergence()
    {
        await using var node = await fixture.StartDataPlaneAsync($"metrics-{Guid.NewGuid():N}"[..20]);
        var api = new ElbApi(fixture.Gateway);
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        var memberId = await api.AddMemberAsync(poolId, "10.0.0.9");
        await node.WaitForPoolAsync(poolId, pool => pool.Contains(memberId.ToString()), Within);

        using var anonymous = node.Host.Server.CreateClient();
        using var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE elb_member_requests", text);
        (string, string) member = ("member_id", memberId.ToString());
        Assert.Equal([0.0], PrometheusText.Samples(text, "elb_member_requests_total", member, ("pool_id", poolId.ToString())));
        Assert.Equal([0.0], PrometheusText.Samples(text, "elb_member_failures_total", member));
        Assert.Equal([0.0], PrometheusText.Samples(text, "elb_member_active_connections", member));
        Assert.Single(PrometheusText.Samples(text, "elb_node_versions_behind"));
        Assert.True(PrometheusText.Sum(text, "elb_node_apply_lag_seconds_count") > 0, text);
    }

    /// <summary>Every span that ends, from whichever host, for the test to look up by trace.</summary>
    private sealed class CapturedSpans : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _ended = new();

        public override void OnEnd(Activity span) => _ended.Enqueue(span);

        public IReadOnlyList<Activity> Of(ActivityTraceId trace) => [.. _ended.Where(a => a.TraceId == trace)];
    }
}
