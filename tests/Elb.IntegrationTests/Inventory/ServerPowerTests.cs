using Elb.Commands.BackendServers;
using Elb.Commands.Inventory;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests.Inventory;

/// <summary>Rule 14 under concurrency: a power action reaches every member of its server that existed before it.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ServerPowerTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task Members_added_while_a_server_restarts_are_either_reached_by_the_restart_or_added_after_it()
    {
        await _api.RegisterSubnetAsync();
        await _api.RegisterServerAsync("srv-1", "10.0.0.31");
        var loadBalancers = new List<Guid>();
        var pools = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            loadBalancers.Add(await _api.CreateLoadBalancerAsync($"lb-{i}", ipAsBackend: false));
            pools.Add(await _api.CreatePoolAsync(loadBalancers[^1]));
        }

        // A member from before, so the restart always reaches one and its place in the event order is known.
        await _api.AddInstanceMemberAsync(pools[0], "srv-1", port: 8081);

        // The adds race the restart: each is committed before it (and reached) or after it, or refused while it runs.
        var adds = pools.Select(pool => _api.PostConcurrentlyAsync($"elb/pools/{pool}/members",
            """{"member": {"instance_id": "srv-1", "protocol_port": 8080}}""")).ToList();
        var restart = _api.PostAsync("inventory/servers/srv-1/action", """{"action": "restart"}""", 200);
        var answers = await Task.WhenAll(adds);
        await restart;

        Assert.All(answers, a => Assert.True(a.Status == 201 || a.Body.GetProperty("error_code").GetString() == "ELB.ServerBusy",
            $"{a.Status}: {a.Body}"));
        await using var session = fixture.Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = new List<JasperFx.Events.IEvent>();
        foreach (var loadBalancerId in loadBalancers) events.AddRange(await session.Events.FetchStreamAsync(loadBalancerId));
        var added = events.Where(e => e.Data is BackendServerAdded).ToList();
        var reached = events.Select(e => e.Data).OfType<BackendServerPowerChanged>().ToList();
        // One transaction appends the restart to every load balancer it reaches: what it missed came before it, if anything.
        var restartedAt = events.Where(e => e.Data is BackendServerPowerChanged).Min(e => e.Sequence);
        foreach (var member in added.Where(e => e.Sequence < restartedAt).Select(e => (BackendServerAdded)e.Data))
        {
            Assert.Contains(reached, p => p.MemberId == member.MemberId && p.Action == "restarted");
        }
        Assert.Equal(answers.Count(a => a.Status == 201) + 1, added.Count);
    }
}
