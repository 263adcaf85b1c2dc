using System.CommandLine;
using System.Text.Json;
using Elb.Cli;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.LoadBalancers;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class RebuildTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task Read_models_rebuilt_from_the_events_equal_the_ones_built_live()
    {
        // loopback addresses: nodes running meanwhile probe this monitored pool's members
        await _api.RegisterSubnetAsync("subnet-1", "127.0.0.0/24");
        await _api.RegisterServerAsync("ecs-1", "127.0.0.21");
        var loadBalancerId = await _api.CreateLoadBalancerAsync("rebuilt", ipAsBackend: false);
        var poolId = await _api.CreatePoolAsync(loadBalancerId, extra: """, "slow_start": {"enable": true}""");
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTP", "protocol_port": 80, "default_pool_id": "{{{poolId}}}"}}""");
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}""");
        await _api.AddInstanceMemberAsync(poolId, "ecs-1");
        await _api.PutAsync($"elb/loadbalancers/{loadBalancerId}", """{"loadbalancer": {"ip_target_enable": true}}""");
        var flapping = await _api.AddMemberAsync(poolId, "127.16.0.9", weight: 4);
        var removed = await _api.AddMemberAsync(poolId, "127.16.0.10");
        await _api.PutAsync($"elb/pools/{poolId}/members/{flapping}", """{"member": {"weight": 9}}""");
        foreach (var healthy in new[] { true, false, true })
        {
            await ElbApi.Node(fixture.Gateway, _api.Project).PostAsync($"elb/pools/{poolId}/members/{flapping}/health-reports",
                $$$"""{"health_report": {"healthy": {{{(healthy ? "true" : "false")}}}}}""", 200);
        }
        await _api.DeleteAsync($"elb/pools/{poolId}/members/{removed}");
        await _api.PostAsync("inventory/servers/ecs-1/action", """{"action": "restart"}""", 200);
        var live = await ReadModelsAsync(loadBalancerId);

        var report = await ProjectionRebuild.RunAsync(fixture.Gateway.Services.GetRequiredService<IDocumentStore>(),
            new Progress<RebuildProgress>(), CancellationToken.None);

        Assert.True(report.Events > 0);
        Assert.Equal(live, await ReadModelsAsync(loadBalancerId));
        Assert.Contains("\"127.16.0.9\"", live);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Elb_projections_rebuild_runs_against_the_store_with_a_bar_or_a_line_per_read_model(bool terminal)
    {
        await _api.CreateLoadBalancerWithSubnetAsync();
        var (output, errors) = (new TestConsole(), new TestConsole());
        output.Profile.Width = 200;
        if (terminal) output.Interactive();
        var context = new CliContext(output, errors, name => name == "ELB_POSTGRES" ? fixture.Services.Postgres : null);

        var exit = await ElbCommandLine.Create(context).Parse($"projections rebuild --schema {GatewayFixture.Schema}").InvokeAsync();

        Assert.True(exit == 0, errors.Output);
        foreach (var readModel in ProjectionRebuild.ReadModels)
        {
            Assert.Contains($"{readModel.Name}: done in", output.Output);
        }
        Assert.Matches(@"Rebuilt 4 read models from [\d,]+ events in [\d.]+ s", output.Output);
    }

    [Fact]
    public async Task Health_reports_the_relay_subscriptions_position_against_the_high_water_mark()
    {
        await _api.CreateLoadBalancerWithSubnetAsync();

        var relay = (await _api.GetAsync("/health")).GetProperty("checks").GetProperty("projections").GetProperty("data")
            .GetProperty("elb_events_relay:all");

        Assert.True(relay.GetProperty("high_water_mark").GetInt64() >= relay.GetProperty("position").GetInt64());
        Assert.Equal(relay.GetProperty("high_water_mark").GetInt64() - relay.GetProperty("position").GetInt64(),
            relay.GetProperty("lag").GetInt64());
    }

    private async Task<string> ReadModelsAsync(Guid loadBalancerId)
    {
        await using var session = fixture.Gateway.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var snapshot = await session.LoadLoadBalancerAsync(loadBalancerId, CancellationToken.None);
        var locations = await session.Query<ResourceLocation>().Where(l => l.LoadBalancerId == loadBalancerId).ToListAsync();
        return JsonSerializer.Serialize(new { snapshot, locations = locations.OrderBy(l => l.Id) }, ElbJson.Options);
    }
}
