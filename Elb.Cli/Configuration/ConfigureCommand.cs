using System.CommandLine;
using Spectre.Console;

namespace Elb.Cli.Configuration;

/// <summary>
/// <c>elb configure</c>: the endpoint, project (the shared <c>--project</c>) and credentials, written once to the
/// config file; what is not given stays as it was.
/// </summary>
public static class ConfigureCommand
{
    public static Command Create(CliContext context)
    {
        var endpoint = new Option<string?>("--endpoint") { Description = "The gateway, e.g. http://127.0.0.1:5080" };
        var accessKey = new Option<string?>("--access-key") { Description = "An access key (AK); replaces a token" };
        var secretKey = new Option<string?>("--secret-key") { Description = "Its secret key (SK)" };
        var token = new Option<string?>("--token") { Description = "A token from POST /v3/auth/tokens; replaces an access key" };
        var command = new Command("configure", "Write the endpoint, project and credentials to the config file (mode 0600)")
        {
            endpoint, accessKey, secretKey, token,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(token) is not null && (result.GetValue(accessKey) ?? result.GetValue(secretKey)) is not null)
            {
                result.AddError("Give either --token or --access-key with --secret-key, not both.");
            }
            else if ((result.GetValue(accessKey) is null) != (result.GetValue(secretKey) is null))
            {
                result.AddError("--access-key and --secret-key go together.");
            }
        });
        context.SetAction(command, (parse, _) =>
        {
            var path = context.ConfigPath;
            var settings = CliSettings.Read(path);
            settings = settings with
            {
                Endpoint = parse.GetValue(endpoint) ?? settings.Endpoint,
                ProjectId = parse.GetValue(context.Project) ?? settings.ProjectId,
            };
            // One kind of credential at a time: the one given replaces the other.
            if (parse.GetValue(token) is { } newToken)
            {
                settings = settings with { Token = newToken, AccessKey = null, SecretKey = null };
            }
            else if (parse.GetValue(accessKey) is { } newAccessKey)
            {
                settings = settings with { AccessKey = newAccessKey, SecretKey = parse.GetValue(secretKey), Token = null };
            }
            settings.Write(path);
            Show(context, path, settings);
            return Task.CompletedTask;
        });
        return command;
    }

    /// <summary>What is configured, with the secret key and the token never shown.</summary>
    private static void Show(CliContext context, string path, CliSettings settings)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(CliContext.Cell("file"), CliContext.Cell(path));
        grid.AddRow(CliContext.Cell("endpoint"), CliContext.Cell(settings.Endpoint ?? "(none)"));
        grid.AddRow(CliContext.Cell("project"), CliContext.Cell(settings.ProjectId ?? "(none)"));
        grid.AddRow(CliContext.Cell("credentials"), CliContext.Cell(settings switch
        {
            { AccessKey: { } ak } => $"access key {ak}, secret key set",
            { Token: not null } => "token set",
            _ => "(none)",
        }));
        context.Write(grid);
    }
}
