using System.Diagnostics.Metrics;
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

public class GapGraceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(100);
    private static readonly Guid OtherLoadBalancerId = Guid.Parse("00000000-0000-0000-0000-0000000000a2");

    private static readonly LoadBalancerChange Created1 = Change(1, Created());
    private static readonly LoadBalancerChange PoolCreated2 = Change(2, PoolCreated());
    private static readonly LoadBalancerChange MemberAdded3 = Change(3, MemberAdded("10.0.0.1"));
    private static readonly LoadBalancerChange MemberAdded4 = Change(4, MemberAdded("10.0.0.2"));
    private static readonly LoadBalancerChange MemberAdded5 = Change(5, MemberAdded("10.0.0.3"));

    [Fact]
    public async Task A_change_overtaken_within_the_grace_is_applied_in_order_without_a_snapshot_read()
    {
        await using var node = new Node();
        await node.Handle(Created1);

        await node.Handle(MemberAdded3);
        Assert.Equal((1, 1), (node.Table.Current.AppliedVersion(LoadBalancerId), node.Gaps.HeldCount));
        node.Time.Advance(Grace / 2);
        await node.Handle(PoolCreated2);

        Assert.Equal(3, node.Table.Current.AppliedVersion(LoadBalancerId));
        Assert.Equal(["10.0.0.1"], Addresses(node.Table));
        Assert.Equal(0, node.Gaps.HeldCount);
        Assert.Equal(3, node.AppliedChanges);
        node.Time.Advance(Grace * 10);
        Assert.Equal(0, node.Gateway.SnapshotReads);
    }

    [Fact]
    public async Task One_commands_changes_in_one_message_apply_in_order_and_close_a_gap_the_message_before_left()
    {
        await using var node = new Node();
        await node.Handle(Created1);
        await node.Handle(new LoadBalancerChanges(LoadBalancerId, [MemberAdded4, MemberAdded5]));
        Assert.Equal(2, node.Gaps.HeldCount);

        await node.Handle(new LoadBalancerChanges(LoadBalancerId, [PoolCreated2, MemberAdded3]));

        Assert.Equal(5, node.Table.Current.AppliedVersion(LoadBalancerId));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], Addresses(node.Table));
        Assert.Equal((0, 5), (node.Gaps.HeldCount, node.AppliedChanges));
        node.Time.Advance(Grace * 10);
        Assert.Equal(0, node.Gateway.SnapshotReads);
    }

    [Fact]
    public async Task A_gap_still_open_after_the_grace_is_closed_by_one_snapshot_read_and_the_held_changes_newer_than_it_go_on_top()
    {
        await using var node = new Node();
        node.Gateway.Snapshots[LoadBalancerId] = Evolve(Created(), PoolCreated()) with { Version = 2 };
        await node.Handle(Created1);
        await node.Handle(MemberAdded3);

        node.Time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, node.Gateway.SnapshotReads);
        node.Time.Advance(TimeSpan.FromMilliseconds(1));

        await Until(() => node.Table.Current.AppliedVersion(LoadBalancerId) == 3);
        Assert.Equal(["10.0.0.1"], Addresses(node.Table));
        Assert.Equal(0, node.Gaps.HeldCount);
        Assert.Equal(2, node.AppliedChanges);
        node.Time.Advance(Grace * 10);
        Assert.Equal(1, node.Gateway.SnapshotReads);
        // The missing change, late after all, is a duplicate.
        await node.Handle(PoolCreated2);
        Assert.Equal(1, node.Gateway.SnapshotReads);
    }

    [Fact]
    public async Task Past_the_cap_of_one_load_balancer_its_gap_is_closed_at_once()
    {
        await using var node = new Node(maxHeldPerLoadBalancer: 2);
        node.Gateway.Snapshots[LoadBalancerId] = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1"),
            MemberAdded("10.0.0.2"), MemberAdded("10.0.0.3")) with { Version = 5 };
        await node.Handle(Created1);
        await node.Handle(MemberAdded3);
        await node.Handle(MemberAdded4);
        Assert.Equal((0, 2), (node.Gateway.SnapshotReads, node.Gaps.HeldCount));

        await node.Handle(MemberAdded5);

        Assert.Equal((1, 0), (node.Gateway.SnapshotReads, node.Gaps.HeldCount));
        Assert.Equal(5, node.Table.Current.AppliedVersion(LoadBalancerId));
        Assert.Equal(4, node.AppliedChanges);
    }

    [Fact]
    public async Task Past_the_cap_of_all_load_balancers_a_gap_is_closed_at_once()
    {
        await using var node = new Node(maxHeld: 2);
        node.Gateway.Snapshots[OtherLoadBalancerId] = Evolve(Created() with { LoadBalancerId = OtherLoadBalancerId }) with
        {
            Id = OtherLoadBalancerId, Version = 3,
        };
        await node.Handle(Created1);
        await node.Handle(MemberAdded3);
        await node.Handle(MemberAdded4);

        await node.Handle(Change(3, PoolCreated()) with { LoadBalancerId = OtherLoadBalancerId });

        Assert.Equal((1, 2), (node.Gateway.SnapshotReads, node.Gaps.HeldCount));
        Assert.Equal(3, node.Table.Current.AppliedVersion(OtherLoadBalancerId));
    }

    [Fact]
    public async Task A_load_balancer_the_control_plane_no_longer_has_leaves_nothing_held()
    {
        await using var node = new Node();
        await node.Handle(Created1);
        await node.Handle(MemberAdded3);
        await node.Handle(MemberAdded4);

        node.Time.Advance(Grace);

        await Until(() => node.Gateway.SnapshotReads == 1 && node.Gaps.HeldCount == 0);
        Assert.Empty(node.Table.Current.LoadBalancers);
        Assert.Equal(4, node.Table.Current.AppliedVersion(LoadBalancerId));
        node.Time.Advance(Grace * 100);
        Assert.Equal(1, node.Gateway.SnapshotReads);
    }

    [Fact]
    public async Task A_load_balancer_deleted_by_the_change_that_closes_the_gap_leaves_nothing_held()
    {
        await using var node = new Node();
        await node.Handle(Created1);
        await node.Handle(Change(3, new LoadBalancerDeleted(LoadBalancerId, Project, Now)));

        await node.Handle(Change(2, ListenerCreated()));

        Assert.Empty(node.Table.Current.LoadBalancers);
        Assert.Equal((3, 0), (node.Table.Current.AppliedVersion(LoadBalancerId), node.Gaps.HeldCount));
        node.Time.Advance(Grace * 10);
        Assert.Equal(0, node.Gateway.SnapshotReads);
    }

    [Fact]
    public async Task A_snapshot_read_that_fails_after_the_grace_is_reported_and_retried()
    {
        await using var node = new Node();
        node.Gateway.Snapshots[LoadBalancerId] = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1")) with { Version = 3 };
        node.Gateway.FailuresLeft = 1;
        await node.Handle(Created1);
        await node.Handle(MemberAdded3);

        node.Time.Advance(Grace);
        await Until(() => node.Faults.Current.ContainsKey("closing a gap"));
        Assert.Equal(1, node.Gaps.HeldCount);
        node.Time.Advance(Grace);

        await Until(() => node.Table.Current.AppliedVersion(LoadBalancerId) == 3 && node.Faults.Current.Count == 0);
        Assert.Equal((2, 0), (node.Gateway.SnapshotReads, node.Gaps.HeldCount));
    }

    private static IEnumerable<string> Addresses(RoutingTable table) => table.Current.Pools[PoolId].Members.Select(m => m.Address);

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>A node's change handler with its gap grace, a fake clock and a fake gateway.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConvergenceMetrics _metrics;
        private readonly Elb.DataPlane.Traffic.MemberConnections _connections;
        private int _appliedChanges;

        public Node(int maxHeldPerLoadBalancer = 32, int maxHeld = 1024)
        {
            var meters = Relays.Meters();
            _metrics = new ConvergenceMetrics(Table, Time, meters);
            _connections = Relays.Connections(Time, Table);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "elb.node.apply_lag") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _appliedChanges));
            _listener.Start();
            Gaps = new GapGrace(Table, new ControlPlaneClient(Gateway), _metrics, Faults,
                new GapGraceOptions(Grace, maxHeldPerLoadBalancer, maxHeld), Time, NullLogger<GapGrace>.Instance);
        }

        public RoutingTable Table { get; } = new();
        public FakeTimeProvider Time { get; } = new(Now);
        public FakeGateway Gateway { get; } = new();
        public Elb.DataPlane.Resilience.NodeFaults Faults { get; } = Relays.Faults();
        public GapGrace Gaps { get; }

        /// <summary>How many changes <see cref="ConvergenceMetrics.Applied"/> recorded.</summary>
        public int AppliedChanges => Volatile.Read(ref _appliedChanges);

        public Task Handle(LoadBalancerChange change) => LoadBalancerChangeHandler.Handle(change, Table, Gaps,
            _connections, _metrics, CancellationToken.None);

        public Task Handle(LoadBalancerChanges changes) => LoadBalancerChangesHandler.Handle(changes, Table, Gaps,
            _connections, _metrics, CancellationToken.None);

        public ValueTask DisposeAsync()
        {
            Gaps.Dispose();
            _listener.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The gateway's snapshot of each load balancer it has (404 for others), counting the reads; failing first if told.</summary>
    private sealed class FakeGateway : HttpMessageHandler, IHttpClientFactory
    {
        private int _snapshotReads;

        public Dictionary<Guid, LoadBalancer> Snapshots { get; } = [];
        public int FailuresLeft { get; set; }
        public int SnapshotReads => Volatile.Read(ref _snapshotReads);

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://gateway/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
        {
            Interlocked.Increment(ref _snapshotReads);
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
            }
            var id = Guid.Parse(request.RequestUri!.AbsolutePath.Split('/')[^1]);
            return Task.FromResult(Snapshots.TryGetValue(id, out var snapshot)
                ? new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent(JsonSerializer.Serialize(new { LoadBalancer = snapshot }, ElbJson.Options),
                        System.Text.Encoding.UTF8, "application/json"),
                }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }
}
