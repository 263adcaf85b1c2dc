using System.Text.Json;

namespace Elb.Cli.Api;

/// <summary>Fields of an API answer as table cells read them.</summary>
public static class JsonFields
{
    /// <summary>A field as text: strings as they are, other values as their JSON, a missing field or null as empty.</summary>
    public static string Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Null => "",
                _ => value.GetRawText(),
            }
            : "";

    /// <summary>The items of an array field; none when it is missing.</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    public static JsonElement Object(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;
}
