using Spectre.Console;

namespace Elb.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Errors go to stderr, so that what --output json prints on stdout stays parseable.
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var context = new CliContext(AnsiConsole.Console, errors, Environment.GetEnvironmentVariable);
        return await ElbCommandLine.Create(context).Parse(args).InvokeAsync();
    }
}
