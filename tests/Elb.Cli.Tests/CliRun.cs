using System.CommandLine;
using Spectre.Console.Testing;

namespace Elb.Cli.Tests;

/// <summary>
/// The tool as a user runs it, with a test console for what it prints, its own config file and environment variables
/// (none of the machine's).
/// </summary>
public sealed class CliRun : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("elb-cli-").FullName;

    public TestConsole Output { get; } = new();
    public TestConsole Errors { get; } = new();
    /// <summary>What System.CommandLine itself prints: help, and why a command line was refused.</summary>
    public StringWriter Usage { get; } = new();
    public Dictionary<string, string?> Environment { get; } = new();
    public string ConfigPath => Path.Combine(_directory, "elb", "config.json");

    public CliRun()
    {
        // Wide enough that ids and addresses are never wrapped inside a table cell.
        Output.Profile.Width = 240;
        Errors.Profile.Width = 240;
        Environment["ELB_CONFIG"] = ConfigPath;
    }

    /// <summary>Configured as <c>elb configure</c> would, for <paramref name="gateway"/> and project my-project, with a token.</summary>
    public static CliRun For(StubGateway gateway)
    {
        var run = new CliRun();
        run.Environment["ELB_ENDPOINT"] = gateway.Endpoint;
        run.Environment["ELB_PROJECT_ID"] = "my-project";
        run.Environment["ELB_TOKEN"] = "token-1";
        return run;
    }

    public Task<int> RunAsync(string commandLine, CancellationToken cancellation = default)
    {
        var context = new CliContext(Output, Errors, name => Environment.GetValueOrDefault(name));
        return ElbCommandLine.Create(context).Parse(commandLine)
            .InvokeAsync(new InvocationConfiguration { Output = Usage, Error = Usage }, cancellation);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
