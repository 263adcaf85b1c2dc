using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Elb.Commands.LoadBalancers;

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
        // Members are the bulk of what a starting node reads.
        if (!options.Converters.OfType<MemberJsonConverter>().Any())
        {
            options.Converters.Add(new MemberJsonConverter());
            options.Converters.Add(new MemberSlowStartJsonConverter());
        }
        if (!options.TypeInfoResolverChain.Contains(ElbJsonContext.Default))
        {
            options.TypeInfoResolver = JsonTypeInfoResolver.Combine(ElbJsonContext.Default,
                options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver());
        }
        return options;
    }
}

/// <summary>
/// Compiled metadata for what travels in bulk: a node starting reads every load balancer in one answer, and
/// reflection-built metadata made that read slower and its first call slower still. Names and converters still come
/// from the options it is combined into (<see cref="ElbJson.Configure"/>), so the wire format is the same either way.
/// </summary>
[JsonSerializable(typeof(RoutingSnapshot))]
public sealed partial class ElbJsonContext : JsonSerializerContext;

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
