using Microsoft.Extensions.Configuration;

namespace Elb.Commands.Hosting;

public static class ConfigurationExtensions
{
    public static string Required(this IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Configuration '{key}' is not set.");
}
