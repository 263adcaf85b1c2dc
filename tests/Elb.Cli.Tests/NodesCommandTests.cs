namespace Elb.Cli.Tests;

public sealed class NodesCommandTests : IAsyncLifetime
{
    private StubGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await StubGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Nodes_shows_each_nodes_convergence()
    {
        _gateway.Map("/v3/dataplane/nodes", """
            {"nodes": [
              {"id": "node-1", "admin_url": "http://127.0.0.1:9001", "last_seen_at": "2026-12-01T08:00:00+00:00", "status": "ONLINE",
               "loadbalancers": 2, "versions_behind": 0, "converged": true, "lagging": [], "stale": []},
              {"id": "node-2", "admin_url": "http://127.0.0.1:9002", "last_seen_at": "2026-12-01T07:00:00+00:00", "status": "OFFLINE",
               "loadbalancers": 1, "versions_behind": 3, "converged": false,
               "lagging": [{"loadbalancer_id": "lb-2", "control_plane_version": 7, "applied_version": 4}], "stale": ["lb-9"]}],
             "control_plane": [{"loadbalancer_id": "lb-1"}, {"loadbalancer_id": "lb-2"}]}
            """);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("nodes"));

        Assert.Equal("/v3/dataplane/nodes", Assert.Single(_gateway.Received).PathAndQuery);
        Assert.Matches(Rows.Of("node-1", "ONLINE", "2026-12-01T08:00:00+00:00", "2", "0", "yes"), cli.Output.Output);
        Assert.Matches(Rows.Of("node-2", "OFFLINE", "2026-12-01T07:00:00+00:00", "1", "3", "no", "lb-2", "lb-9"), cli.Output.Output);
        Assert.Contains("Control plane: 2 load balancers", cli.Output.Output);
    }
}
