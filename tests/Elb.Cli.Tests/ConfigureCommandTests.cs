using System.Runtime.Versioning;
using System.Text.Json;
using Elb.Signing;

namespace Elb.Cli.Tests;

public sealed class ConfigureCommandTests : IAsyncLifetime
{
    private const string SecretKey = "s3cr3t-K3y-n0t-to-b3-pr1nt3d-anywh3r3-00";

    private StubGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await StubGateway.StartAsync();
        _gateway.Map("/v3/my-project/elb/loadbalancers", """{"loadbalancers": []}""");
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Configure_writes_a_file_only_its_owner_can_read_and_never_prints_the_secret()
    {
        using var cli = new CliRun();

        Assert.Equal(0, await cli.RunAsync(
            $"configure --endpoint {_gateway.Endpoint} --project my-project --access-key AKEXAMPLE0001 --secret-key {SecretKey}"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        var written = JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement;
        Assert.Equal(SecretKey, written.GetProperty("secret_key").GetString());
        Assert.Equal("my-project", written.GetProperty("project_id").GetString());
        Assert.Contains("AKEXAMPLE0001", cli.Output.Output);
        Assert.DoesNotContain(SecretKey, cli.Output.Output + cli.Errors.Output + cli.Usage);
    }

    [Fact]
    public async Task Commands_sign_with_the_configured_access_key_as_the_sdks_do()
    {
        using var cli = new CliRun();
        await cli.RunAsync($"configure --endpoint {_gateway.Endpoint} --project my-project --access-key AKEXAMPLE0001 --secret-key {SecretKey}");

        Assert.Equal(0, await cli.RunAsync("lb list"));

        var headers = Assert.Single(_gateway.Received).Headers;
        Assert.True(SdkSignature.TryParseAuthorization(headers["Authorization"], out var authorization));
        Assert.Equal("AKEXAMPLE0001", authorization.AccessKey);
        Assert.True(headers.ContainsKey("X-Sdk-Date"));
        Assert.False(headers.ContainsKey("X-Auth-Token"));
    }

    [Fact]
    public async Task A_token_replaces_the_access_key_and_is_sent_as_x_auth_token()
    {
        using var cli = new CliRun();
        await cli.RunAsync($"configure --endpoint {_gateway.Endpoint} --project my-project --access-key AKEXAMPLE0001 --secret-key {SecretKey}");

        Assert.Equal(0, await cli.RunAsync("configure --token token-1"));
        Assert.Equal(0, await cli.RunAsync("lb list"));

        var written = JsonDocument.Parse(File.ReadAllText(cli.ConfigPath)).RootElement;
        Assert.False(written.TryGetProperty("secret_key", out _));
        Assert.Equal(_gateway.Endpoint, written.GetProperty("endpoint").GetString());
        var headers = Assert.Single(_gateway.Received).Headers;
        Assert.Equal("token-1", headers["X-Auth-Token"]);
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.DoesNotContain("token-1", cli.Output.Output);
    }

    [Fact]
    public async Task Environment_variables_override_the_file()
    {
        using var cli = new CliRun();
        await cli.RunAsync("configure --endpoint http://127.0.0.1:1 --project my-project --token token-1");
        cli.Environment["ELB_ENDPOINT"] = _gateway.Endpoint;
        cli.Environment["ELB_TOKEN"] = "token-2";

        Assert.Equal(0, await cli.RunAsync("lb list"));

        Assert.Equal("token-2", Assert.Single(_gateway.Received).Headers["X-Auth-Token"]);
    }

    [Fact]
    public async Task A_token_in_the_environment_is_used_over_a_configured_access_key()
    {
        using var cli = new CliRun();
        await cli.RunAsync($"configure --endpoint {_gateway.Endpoint} --project my-project --access-key AKEXAMPLE0001 --secret-key {SecretKey}");
        cli.Environment["ELB_TOKEN"] = "token-2";

        Assert.Equal(0, await cli.RunAsync("lb list"));

        var headers = Assert.Single(_gateway.Received).Headers;
        Assert.Equal("token-2", headers["X-Auth-Token"]);
        Assert.False(headers.ContainsKey("Authorization"));
    }
}
