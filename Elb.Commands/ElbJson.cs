using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elb.Commands;

/// <summary>
/// The one JSON convention of Elb, shared by the HTTP API, the bus and the data plane's snapshot client:
/// snake_case like the ELB v3 API, enums as strings (and only strings: a number would read as a value no case names).
/// </summary>
public static class ElbJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions());

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = ElbNamingPolicy.Instance;
        options.DictionaryKeyPolicy = ElbNamingPolicy.Instance;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false));
        }
        return options;
    }
}

/// <summary>
/// snake_case, with the ELB v3 API's one-word "loadbalancer" and "healthmonitor" (<c>loadbalancer_id</c>, not
/// <c>load_balancer_id</c>).
/// </summary>
public sealed class ElbNamingPolicy : JsonNamingPolicy
{
    public static readonly ElbNamingPolicy Instance = new();

    public override string ConvertName(string name) =>
        SnakeCaseLower.ConvertName(name)
            .Replace("load_balancer", "loadbalancer", StringComparison.Ordinal)
            .Replace("health_monitor", "healthmonitor", StringComparison.Ordinal);
}
