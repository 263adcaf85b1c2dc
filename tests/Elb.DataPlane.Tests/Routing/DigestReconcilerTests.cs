using System.Net;
using System.Text.Json;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Routing;

public class DigestReconcilerTests
{
    private static readonly LoadBalancer AtTwo = Evolve(Created(), PoolCreated()) with { Version = 2 };
    private static readonly LoadBalancer AtThree = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1")) with { Version = 3 };

    [Fact]
    public void A_load_balancer_is_reloaded_only_when_it_differs_at_two_checks_in_a_row()
    {
        var drift = new DigestDrift();
        var controlPlane = new[] { RoutingDigestEntry.Of(AtThree) };
        var stale = new[] { RoutingDigestEntry.Of(AtTwo) };

        Assert.Empty(drift.Check(controlPlane, stale));
        Assert.Empty(drift.Check(controlPlane, [RoutingDigestEntry.Of(AtThree)]));
        Assert.Empty(drift.Check(controlPlane, stale));
        Assert.Equal([LoadBalancerId], drift.Check(controlPlane, stale));
    }

    [Fact]
    public void Missing_on_either_side_differs_but_a_copy_newer_than_the_list_does_not()
    {
        var drift = new DigestDrift();
        var other = RoutingDigestEntry.Of(AtTwo) with { LoadBalancerId = Guid.NewGuid() };
        var controlPlane = new[] { RoutingDigestEntry.Of(AtTwo), other };
        var node = new[] { RoutingDigestEntry.Of(AtThree), RoutingDigestEntry.Of(AtThree) with { LoadBalancerId = Guid.NewGuid() } };

        drift.Check(controlPlane, node);
        Assert.Equal(new[] { other.LoadBalancerId, node[1].LoadBalancerId }.Order(), drift.Check(controlPlane, node).Order());
    }

    [Fact]
    public async Task A_node_that_lost_the_final_event_reloads_the_load_balancer_after_two_checks_and_shows_it_was_one_version_behind()
    {
        var table = new RoutingTable();
        table.Load(AtTwo);
        var time = new FakeTimeProvider(Now);
        var gateway = new StubGateway(AtThree);
        var metrics = new ConvergenceMetrics(table, time, Relays.Meters());
        using var reconciler = new DigestReconciler(table, new ControlPlaneClient(gateway), Relays.Faults(), metrics,
            new DigestCheckOptions(TimeSpan.FromSeconds(30)), time, NullLogger<DigestReconciler>.Instance);
        await reconciler.StartAsync(CancellationToken.None);
        Assert.Equal(0, metrics.VersionsBehind);

        time.Advance(TimeSpan.FromSeconds(30));
        await Until(() => gateway.DigestCalls == 1);
        await Until(() => metrics.VersionsBehind == 1);
        Assert.Equal(2, table.Current.AppliedVersion(LoadBalancerId));
        time.Advance(TimeSpan.FromSeconds(30));

        await Until(() => table.Current.AppliedVersion(LoadBalancerId) == 3);
        Assert.Equal(RoutingDigest.Of(AtThree), RoutingDigest.Of(table.Current.LoadBalancers[LoadBalancerId]));
        Assert.Equal(0, metrics.VersionsBehind);
        await reconciler.StopAsync(CancellationToken.None);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>The gateway's digest list and snapshot of one load balancer.</summary>
    private sealed class StubGateway(LoadBalancer loadBalancer) : HttpMessageHandler, IHttpClientFactory
    {
        private int _digestCalls;

        public int DigestCalls => Volatile.Read(ref _digestCalls);

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://gateway/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
        {
            object body = request.RequestUri!.AbsolutePath switch
            {
                "/v3/internal/routing-digests" => new { LoadBalancers = new[] { RoutingDigestEntry.Of(loadBalancer) } },
                var path when path == $"/v3/internal/routing-snapshot/{loadBalancer.Id}" => new { LoadBalancer = loadBalancer },
                _ => throw new InvalidOperationException(request.RequestUri.ToString()),
            };
            if (request.RequestUri.AbsolutePath.EndsWith("digests")) Interlocked.Increment(ref _digestCalls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(JsonSerializer.Serialize(body, ElbJson.Options), System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
