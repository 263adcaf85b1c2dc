using System.CommandLine;
using Elb.Cli.Api;
using Elb.Cli.Configuration;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Elb.Cli;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>
/// What every command works with: the console it writes to, the one errors go to (so <c>--output json</c> stays
/// parseable), the environment, and the options every command shares.
/// </summary>
public sealed class CliContext(IAnsiConsole output, IAnsiConsole errors, Func<string, string?> environment)
{
    public IAnsiConsole Output { get; } = output;
    public Func<string, string?> Environment { get; } = environment;

    public Option<OutputFormat> Format { get; } = new("--output", "-o")
    {
        Description = "table (default) or json: the API's answer as it came",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public Option<string?> Project { get; } = new("--project", "-p")
    {
        Description = "The project id (default: the configured one, or ELB_PROJECT_ID)",
        Recursive = true,
    };

    public string ConfigPath => CliSettings.DefaultPath(Environment);

    public ElbApi Api() => ElbApi.For(CliSettings.Load(ConfigPath, Environment));

    public string ProjectOf(ParseResult parse) =>
        parse.GetValue(Project) ?? CliSettings.Load(ConfigPath, Environment).ProjectId
        ?? throw new CliSetupException("No project: pass --project, set ELB_PROJECT_ID, or run `elb configure --project <id>`.");

    /// <summary>Prints JSON as it is, unwrapped and without markup: it is for <c>jq</c> and scripts.</summary>
    public void WriteJson(string json) => Output.Profile.Out.Writer.WriteLine(json);

    public void Write(IRenderable renderable) => Output.Write(renderable);

    /// <summary>
    /// Sets a command's action: a refusal of the gateway or a missing setting is printed, not thrown, with a non-zero
    /// exit code; a cancellation (Ctrl+C) ends the command quietly.
    /// </summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task> action) =>
        command.SetAction(async (parse, cancellation) =>
        {
            try
            {
                await action(parse, cancellation);
                return 0;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return 0;
            }
            catch (ElbApiException refused)
            {
                errors.Write(new Markup($"[red]{Markup.Escape(refused.ErrorCode ?? "Error")}[/] ({(int)refused.Status} {refused.Status}): "));
                errors.WriteLine(refused.Detail ?? "");
                if (refused.RequestId is { } requestId) errors.WriteLine($"request id: {requestId}");
                return 1;
            }
            catch (CliSetupException missing)
            {
                errors.WriteLine(missing.Message);
                return 2;
            }
            catch (HttpRequestException unreachable)
            {
                errors.WriteLine($"Cannot reach the gateway: {unreachable.Message}");
                return 1;
            }
        });

    /// <summary>A table cell of plain text: values from the API are never read as Spectre markup.</summary>
    public static Text Cell(string? value) => new(value ?? "");
}
