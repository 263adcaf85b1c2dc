using System.Net;
using System.Text.Json;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Elb.IntegrationTests.Limits;

/// <summary>One tenant's load stays its own: per-project rate limits, and a bounded wait for a load balancer's lock.</summary>
[Collection(GatewayCollection.Name)]
public sealed class LimitsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_project_over_its_rate_gets_429_with_retry_after_while_another_project_is_served()
    {
        var (flooding, quiet) = (new ElbApi(fixture.Gateway), new ElbApi(fixture.Gateway));
        await flooding.GetAsync("elb/loadbalancers");
        await quiet.GetAsync("elb/loadbalancers");
        await using var limited = await fixture.StartGatewayAsync(builder => builder
            .UseSetting("Elb:RateLimits:RequestsPerSecond", "1").UseSetting("Elb:RateLimits:Burst", "3"));

        using var flood = Client(limited, flooding.User!);
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++) answers.Add(await flood.GetAsync($"/v3/{flooding.Project}/elb/loadbalancers"));
        using var served = await Client(limited, quiet.User!).GetAsync($"/v3/{quiet.Project}/elb/loadbalancers");

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.True(int.Parse(refused[0].Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("ELB.TooManyRequests",
            JsonDocument.Parse(await refused[0].Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task A_command_waits_for_a_held_load_balancer_lock_only_so_long_then_answers_503_and_changes_nothing()
    {
        var api = new ElbApi(fixture.Gateway);
        var loadBalancerId = await api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await api.CreatePoolAsync(loadBalancerId);
        await using var connection = new NpgsqlConnection(fixture.Services.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"select id from {GatewayFixture.Schema}.mt_streams where id = @id for update", connection, transaction))
        {
            hold.Parameters.AddWithValue("id", loadBalancerId);
            Assert.NotNull(await hold.ExecuteScalarAsync());
        }
        var before = await fixture.CountEventsAsync();

        var started = DateTime.UtcNow;
        var (status, body) = await api.TrySendAsync(HttpMethod.Post, $"elb/pools/{poolId}/members",
            """{"member": {"address": "10.0.0.60", "protocol_port": 80}}""");

        Assert.Equal((503, "ELB.LoadBalancerBusy"), (status, body.GetProperty("error_code").GetString()));
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.Equal(before, await fixture.CountEventsAsync());
        await transaction.RollbackAsync();
        await api.AddMemberAsync(poolId, "10.0.0.60");
    }

    private static HttpClient Client(IAlbaHost gateway, ElbApi.ElbUser user) =>
        TestIdentity.SignedClient(gateway, user.AccessKey, user.SecretKey);
}
