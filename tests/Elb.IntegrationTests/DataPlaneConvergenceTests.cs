using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Runtime;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class DataPlaneConvergenceTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private static string NewNodeId() => $"test-{Guid.NewGuid():N}";

    private readonly ElbApi _api = new(fixture.Gateway);

    /// <summary>Creates, changes and removes enough to touch every kind of event a node applies.</summary>
    private async Task<Guid> ChurnAsync(Guid? existing = null, int members = 6)
    {
        var loadBalancerId = existing ?? await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var ids = new List<Guid>();
        for (var i = 0; i < members; i++) ids.Add(await _api.AddMemberAsync(poolId, $"127.7.{Random.Shared.Next(250)}.{i + 1}", weight: i + 1));
        await _api.PutAsync($"elb/pools/{poolId}/members/{ids[0]}", """{"member": {"weight": 42}}""");
        await _api.DeleteAsync($"elb/pools/{poolId}/members/{ids[^1]}");
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}""");
        await ElbApi.Node(fixture.Gateway, _api.Project).PostAsync($"elb/pools/{poolId}/members/{ids[1]}/health-reports", """{"health_report": {"healthy": false}}""", 200);
        return loadBalancerId;
    }

    [Fact]
    public async Task Two_nodes_converge_and_the_gateway_sees_it_in_their_heartbeats()
    {
        await using var first = await fixture.StartDataPlaneAsync(NewNodeId());
        await using var second = await fixture.StartDataPlaneAsync(NewNodeId());

        var loadBalancerId = await ChurnAsync();

        await Convergence.WaitAsync(fixture, first.Admin(), loadBalancerId, Within);
        await Convergence.WaitAsync(fixture, second.Admin(), loadBalancerId, Within);
        var deadline = DateTime.UtcNow + Within;
        JsonElement[] ours = [];
        while (DateTime.UtcNow < deadline)
        {
            var nodes = (await ElbApi.SystemAdmin(fixture.Gateway).GetAsync("/v3/dataplane/nodes")).GetProperty("nodes").EnumerateArray();
            ours = [.. nodes.Where(n => n.GetProperty("id").GetString() is { } id && (id == first.NodeId || id == second.NodeId))];
            if (ours.Length == 2 && ours.All(n => n.GetProperty("converged").GetBoolean())) break;
            await Task.Delay(200);
        }
        Assert.Equal(2, ours.Length);
        Assert.All(ours, n =>
        {
            Assert.True(n.GetProperty("converged").GetBoolean(), n.ToString());
            Assert.Equal(0, n.GetProperty("versions_behind").GetInt64());
            Assert.Equal("ONLINE", n.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task A_node_killed_with_sigkill_in_the_middle_of_changes_converges_after_restart()
    {
        var nodeId = NewNodeId();
        var gateway = fixture.ListeningGatewayUrl();
        var node = await DataPlaneProcess.StartAsync(nodeId, gateway, fixture.Services.RabbitMqDataPlane, await fixture.SystemAdminTokenAsync());
        try
        {
            var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
            var poolId = await _api.CreatePoolAsync(loadBalancerId);
            for (var i = 0; i < 30; i++)
            {
                await _api.AddMemberAsync(poolId, $"10.8.0.{i + 1}");
                if (i == 12) node.Kill();
            }
            await node.DisposeAsync();

            node = await DataPlaneProcess.StartAsync(nodeId, gateway, fixture.Services.RabbitMqDataPlane, await fixture.SystemAdminTokenAsync());
            await _api.AddMemberAsync(poolId, "10.8.1.1");

            await Convergence.WaitAsync(fixture, node.Admin, loadBalancerId, Within);
        }
        finally
        {
            await node.DisposeAsync();
            await Broker.DeleteNodeQueueAsync(fixture.Services.RabbitMqAdmin, nodeId);
        }
    }

    [Fact]
    public async Task A_node_whose_queue_lost_events_while_it_was_not_listening_converges_through_the_gap()
    {
        await using var node = await fixture.StartDataPlaneAsync(NewNodeId());
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        var listener = node.Host.Services.GetRequiredService<IWolverineRuntime>().Endpoints
            .FindListeningAgent(new Uri($"rabbitmq://queue/{Broker.NodeQueue(node.NodeId)}"))!;

        await listener.StopAndDrainAsync();
        await _api.AddMemberAsync(poolId, "10.9.0.1");
        await _api.AddMemberAsync(poolId, "10.9.0.2");
        await Task.Delay(500);
        await Broker.PurgeNodeQueueAsync(fixture.Services.RabbitMqAdmin, node.NodeId);
        await listener.StartAsync();
        await _api.AddMemberAsync(poolId, "10.9.0.3");

        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        var members = (await node.Admin().GetFromJsonAsync<JsonElement>($"/routing/{poolId}"))
            .GetProperty("pool").GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString());
        Assert.Equal(["10.9.0.1", "10.9.0.2", "10.9.0.3"], members);
    }

    [Fact]
    public async Task A_node_restarted_after_its_queue_was_deleted_and_recreated_while_down_converges()
    {
        var nodeId = NewNodeId();
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        var node = await fixture.StartDataPlaneAsync(nodeId);
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        await node.Host.StopAsync();
        await Broker.DeleteNodeQueueAsync(fixture.Services.RabbitMqAdmin, nodeId);

        await _api.AddMemberAsync(poolId, "10.9.1.1");
        await using var restarted = await fixture.StartDataPlaneAsync(nodeId);
        await _api.AddMemberAsync(poolId, "10.9.1.2");

        await Convergence.WaitAsync(fixture, restarted.Admin(), loadBalancerId, Within);
    }
}
