namespace Elb.Cli.Tests;

public sealed class LoadBalancerCommandTests : IAsyncLifetime
{
    private const string Id = "6f1a0c52-3b8e-4d8e-9a51-1c2d3e4f5a6b";

    private const string List = $$$"""
        {"loadbalancers": [{"id": "{{{Id}}}", "project_id": "my-project", "name": "web", "vip_address": "10.0.0.2",
         "availability_zone_list": ["az-1", "az-2"], "provisioning_status": "ACTIVE", "operating_status": "ONLINE",
         "listeners": [{"id": "l-1"}], "pools": [{"id": "p-1"}, {"id": "p-2"}]}],
         "page_info": {"previous_marker": "{{{Id}}}", "current_count": 1, "next_marker": null}}
        """;

    private const string One = $$$"""
        {"loadbalancer": {"id": "{{{Id}}}", "name": "web", "vip_address": "10.0.0.2", "ip_target_enable": true,
         "availability_zone_list": ["az-1"], "operating_status": "ONLINE", "pools": [{"id": "p-1"}, {"id": "p-2"}]}}
        """;

    private StubGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await StubGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task List_shows_each_load_balancer_as_a_table_row()
    {
        _gateway.Map("/v3/my-project/elb/loadbalancers", List);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("lb list"));

        Assert.Matches(Rows.Of(Id, "web", "10.0.0.2", "ONLINE", "ACTIVE", "1", "2", "az-1, az-2"), cli.Output.Output);
        Assert.Contains("VIP", cli.Output.Output);
    }

    [Fact]
    public async Task List_with_output_json_prints_the_answer_as_the_gateway_sent_it()
    {
        _gateway.Map("/v3/my-project/elb/loadbalancers", List);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("lb list --output json"));

        Assert.Equal(List, cli.Output.Output.TrimEnd('\n'));
    }

    [Fact]
    public async Task Show_lists_every_field_of_the_load_balancer()
    {
        _gateway.Map($"/v3/my-project/elb/loadbalancers/{Id}", One);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync($"lb show {Id}"));

        Assert.Matches(Rows.Of("vip_address", "10.0.0.2"), cli.Output.Output);
        Assert.Matches(Rows.Of("ip_target_enable", "true"), cli.Output.Output);
        Assert.Matches(Rows.Of("pools", "p-1, p-2"), cli.Output.Output);
        Assert.Matches(Rows.Of("availability_zone_list", "az-1"), cli.Output.Output);
    }

    [Fact]
    public async Task The_project_option_overrides_the_configured_project()
    {
        _gateway.Map("/v3/other-project/elb/loadbalancers", List);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync("lb list --project other-project -o json"));

        Assert.Equal("/v3/other-project/elb/loadbalancers", Assert.Single(_gateway.Received).PathAndQuery);
    }
}
