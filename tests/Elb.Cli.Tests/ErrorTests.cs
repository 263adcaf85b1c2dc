namespace Elb.Cli.Tests;

public sealed class ErrorTests : IAsyncLifetime
{
    private const string Id = "6f1a0c52-3b8e-4d8e-9a51-1c2d3e4f5a6b";

    private StubGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await StubGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    public async Task A_refusal_shows_its_error_code_and_message_and_exits_non_zero(string output)
    {
        _gateway.Map($"/v3/my-project/elb/loadbalancers/{Id}", $$$"""
            {"type": "https://elb.dev/errors/ELB.LoadBalancerNotFound", "title": "ELB.LoadBalancerNotFound", "status": 404,
             "detail": "Load balancer {{{Id}}} does not exist.", "error_code": "ELB.LoadBalancerNotFound",
             "error_msg": "Load balancer {{{Id}}} does not exist.", "request_id": "req-42"}
            """, 404);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(1, await cli.RunAsync($"lb show {Id} -o {output}"));

        Assert.Contains("ELB.LoadBalancerNotFound", cli.Errors.Output);
        Assert.Contains($"Load balancer {Id} does not exist.", cli.Errors.Output);
        Assert.Contains("req-42", cli.Errors.Output);
        Assert.Equal("", cli.Output.Output);
    }

    [Fact]
    public async Task A_refusal_without_a_problem_body_shows_its_status()
    {
        _gateway.Map("/v3/dataplane/nodes", "", 403);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(1, await cli.RunAsync("nodes"));

        Assert.Contains("403", cli.Errors.Output);
        Assert.Contains("req-stub", cli.Errors.Output);
    }

    [Fact]
    public async Task Without_an_endpoint_the_tool_says_how_to_configure_one()
    {
        using var cli = new CliRun();

        Assert.Equal(2, await cli.RunAsync("lb list --project my-project"));

        Assert.Contains("elb configure", cli.Errors.Output);
    }

    [Fact]
    public async Task An_unknown_output_format_is_a_parse_error()
    {
        using var cli = CliRun.For(_gateway);

        Assert.NotEqual(0, await cli.RunAsync("lb list -o yaml"));

        Assert.Empty(_gateway.Received);
    }
}
