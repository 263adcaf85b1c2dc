namespace Elb.Cli.Tests;

public sealed class MemberCommandTests : IAsyncLifetime
{
    private StubGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await StubGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Find_asks_for_the_members_with_that_address_and_shows_their_load_balancer_and_pool()
    {
        _gateway.Map("/v3/my-project/elb/members", """
            {"members": [{"id": "m-1", "pool_id": "p-1", "loadbalancer_id": "lb-1", "loadbalancer_name": "web",
             "address": "10.0.0.7", "protocol_port": 8080, "weight": 3, "operating_status": "ONLINE",
             "slow_start": {"state": "ramping"}, "availability_zone": "az-1"}],
             "page_info": {"current_count": 1}}
            """);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("member find --address 10.0.0.7"));

        Assert.Equal("/v3/my-project/elb/members?address=10.0.0.7", Assert.Single(_gateway.Received).PathAndQuery);
        Assert.Matches(Rows.Of("web (lb-1)", "p-1", "m-1", "10.0.0.7", "8080", "3", "ONLINE", "ramping", "az-1"), cli.Output.Output);
    }

    [Fact]
    public async Task Find_by_server_id_escapes_it_into_the_query()
    {
        _gateway.Map("/v3/my-project/elb/members", """{"members": []}""");
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("member find --instance-id ecs/1&x -o json"));

        Assert.Equal("/v3/my-project/elb/members?instance_id=ecs%2F1%26x", Assert.Single(_gateway.Received).PathAndQuery);
    }

    [Fact]
    public async Task Find_without_an_address_or_server_id_is_refused_before_any_request()
    {
        using var cli = CliRun.For(_gateway);

        Assert.NotEqual(0, await cli.RunAsync("member find"));

        Assert.Contains("--address or --instance-id", cli.Usage.ToString());
        Assert.Empty(_gateway.Received);
    }
}
