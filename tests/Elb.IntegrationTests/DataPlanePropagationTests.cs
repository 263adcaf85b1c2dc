using Npgsql;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class DataPlanePropagationTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private static string NewNodeId() => $"test-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_member_added_over_http_appears_in_a_running_node_and_in_a_node_started_later()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var first = await fixture.StartDataPlaneAsync(NewNodeId());
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());

        await api.AddMemberAsync(poolId, "10.0.3.1", 8080, weight: 7);
        var seenByFirst = await first.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.3.1\""), Within);
        Assert.Contains("\"weight\":7", seenByFirst);

        await using var second = await fixture.StartDataPlaneAsync(NewNodeId());
        await second.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.3.1\""), Within);

        await api.AddMemberAsync(poolId, "10.0.3.2");
        await first.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.3.2\""), Within);
        await second.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.3.2\""), Within);
    }

    [Fact]
    public async Task Members_added_in_a_burst_reach_the_node_in_stream_order()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var node = await fixture.StartDataPlaneAsync(NewNodeId());
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());

        var addresses = Enumerable.Range(1, 20).Select(i => $"10.0.4.{i}").ToList();
        foreach (var address in addresses) await api.AddMemberAsync(poolId, address);

        var pool = await node.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.4.20\""), Within);
        var positions = addresses.Select(a => pool.IndexOf($"\"{a}\"", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task A_batch_of_members_reaches_the_node_whole_and_in_order_after_a_single_add()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var node = await fixture.StartDataPlaneAsync(NewNodeId());
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());
        await api.AddMemberAsync(poolId, "10.0.6.1");
        var batch = Enumerable.Range(2, 40).Select(i => $"10.0.6.{i}").ToList();

        await api.PostAsync($"elb/pools/{poolId}/members/batch-add",
            $$"""{"members": [{{string.Join(", ", batch.Select(a => $$"""{"address": "{{a}}", "protocol_port": 80}"""))}}]}""");
        await api.AddMemberAsync(poolId, "10.0.6.99");

        var pool = await node.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.6.99\""), Within);
        var positions = batch.Prepend("10.0.6.1").Append("10.0.6.99").Select(a => pool.IndexOf($"\"{a}\"", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task A_transaction_held_open_elsewhere_in_the_store_does_not_hold_a_change_back_from_the_nodes()
    {
        var api = new ElbApi(fixture.Gateway);
        await using var node = await fixture.StartDataPlaneAsync(NewNodeId());
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());
        // Another command, slow to commit: it holds an event sequence number that every later event's is above, so
        // the store's high-water mark, which all subscriptions follow, stays below them until it ends.
        await using var slow = new NpgsqlConnection(fixture.Services.Postgres);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await new NpgsqlCommand($"select nextval('{GatewayFixture.Schema}.mt_events_sequence')", slow, transaction).ExecuteScalarAsync();

        await api.AddMemberAsync(poolId, "10.0.5.1");

        await node.WaitForPoolAsync(poolId, json => json.Contains("\"10.0.5.1\""), TimeSpan.FromSeconds(10));
    }
}
