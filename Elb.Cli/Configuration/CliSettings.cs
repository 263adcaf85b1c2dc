using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elb.Cli.Configuration;

/// <summary>
/// Where the gateway is and who the tool is to it: an access key and secret key (signed as the Huawei Cloud SDKs sign)
/// or a token. Kept in a file only its owner can read; each field can be overridden by an environment variable.
/// </summary>
public sealed record CliSettings(
    [property: JsonPropertyName("endpoint")] string? Endpoint = null,
    [property: JsonPropertyName("project_id")] string? ProjectId = null,
    [property: JsonPropertyName("access_key")] string? AccessKey = null,
    [property: JsonPropertyName("secret_key")] string? SecretKey = null,
    [property: JsonPropertyName("token")] string? Token = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Read only by its owner: the file holds a secret key or a token.</summary>
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static CliSettings Read(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<CliSettings>(File.ReadAllText(path), Json) ?? new CliSettings() : new CliSettings();

    /// <summary>
    /// The file's settings, each replaced by its environment variable where that is set; a credential from the
    /// environment also replaces the file's credential of the other kind (a token set there is the one to use).
    /// </summary>
    public static CliSettings Load(string path, Func<string, string?> environment)
    {
        var file = Read(path);
        if (environment("ELB_TOKEN") is not null) file = file with { AccessKey = null, SecretKey = null };
        if (environment("ELB_ACCESS_KEY") is not null) file = file with { Token = null };
        return new CliSettings(
            environment("ELB_ENDPOINT") ?? file.Endpoint,
            environment("ELB_PROJECT_ID") ?? file.ProjectId,
            environment("ELB_ACCESS_KEY") ?? file.AccessKey,
            environment("ELB_SECRET_KEY") ?? file.SecretKey,
            environment("ELB_TOKEN") ?? file.Token);
    }

    /// <summary>
    /// Writes the file with mode 0600 from its first byte: a new file is made with that mode, then moved over the old
    /// one, so the secret is never readable by others, not even while it is written.
    /// </summary>
    public void Write(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var written = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        // Windows has no file modes: there the user's profile is the user's own already.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = OwnerOnly;
        }
        using (var file = new FileStream(written, options))
        {
            JsonSerializer.Serialize(file, this, Json);
        }
        File.Move(written, path, overwrite: true);
    }

    /// <summary>The default file: <c>$XDG_CONFIG_HOME/elb/config.json</c>, else <c>~/.config/elb/config.json</c>.</summary>
    public static string DefaultPath(Func<string, string?> environment) =>
        environment("ELB_CONFIG") is { Length: > 0 } configured ? configured
        : Path.Combine(environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"), "elb", "config.json");
}
