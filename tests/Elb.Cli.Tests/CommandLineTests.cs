namespace Elb.Cli.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_command()
    {
        using var cli = new CliRun();

        Assert.Equal(0, await cli.RunAsync("--help"));

        foreach (var command in new[] { "configure", "lb", "member", "history", "nodes", "projections" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", cli.Usage.ToString());
        }
    }

    [Theory]
    [InlineData("lb show not-a-guid")]
    [InlineData("history")]
    [InlineData("configure --access-key AK-ONLY")]
    [InlineData("configure --token t --access-key AK --secret-key SK")]
    public async Task A_malformed_command_line_is_refused_without_running_anything(string commandLine)
    {
        using var cli = new CliRun();

        Assert.NotEqual(0, await cli.RunAsync(commandLine));

        Assert.False(File.Exists(cli.ConfigPath));
        Assert.NotEmpty(cli.Usage.ToString());
    }
}
