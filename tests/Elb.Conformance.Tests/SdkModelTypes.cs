using System.Text.Json;

namespace Elb.Conformance.Tests;

/// <summary>Paths into an answer as the recording writes them: <c>a.b[0].c</c> for one element, <c>a.b[].c</c> for each.</summary>
public static class JsonPaths
{
    public static JsonElement? Find(JsonElement root, string path) => All(root, path).FirstOrDefault();

    /// <summary>Every value at <paramref name="path"/>, or null for a property that is not there.</summary>
    public static IEnumerable<JsonElement?> All(JsonElement root, string path)
    {
        IEnumerable<JsonElement?> current = [root];
        foreach (var segment in path.Split('.'))
        {
            var name = segment.Split('[')[0];
            var indexes = segment[name.Length..].Split('[', StringSplitOptions.RemoveEmptyEntries).Select(i => i.TrimEnd(']'));
            current = current.Select(e => e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) ? v : (JsonElement?)null);
            foreach (var index in indexes)
            {
                current = current.SelectMany(e => e is not { ValueKind: JsonValueKind.Array } array ? [(JsonElement?)null]
                    : index.Length == 0 ? array.EnumerateArray().Select(x => (JsonElement?)x)
                    : array.GetArrayLength() > int.Parse(index) ? [array[int.Parse(index)]] : [null]);
            }
        }
        return current;
    }
}

/// <summary>
/// Whether a JSON value has the type an SDK model declares: <c>str</c>, <c>int</c>, <c>bool</c>, <c>float</c>,
/// <c>list[T]</c>, <c>dict(str, T)</c>, <c>object</c> or a model's name, whose fields are checked in turn (fields the
/// model lacks are Elb's own extensions, which the SDK ignores). Null fits every type, as the SDK reads it as None.
/// </summary>
public static class SdkModelTypes
{
    public static IEnumerable<string> Mismatches(JsonElement value, string type, string path,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> models)
    {
        if (value.ValueKind == JsonValueKind.Null) return [];
        if (type.StartsWith("list[", StringComparison.Ordinal))
        {
            return value.ValueKind != JsonValueKind.Array
                ? [$"{path}: a list expected, got {value.ValueKind}"]
                : value.EnumerateArray().SelectMany((item, i) => Mismatches(item, type[5..^1], $"{path}[{i}]", models));
        }
        var fits = type switch
        {
            "str" => value.ValueKind == JsonValueKind.String,
            "int" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "float" => value.ValueKind == JsonValueKind.Number,
            "bool" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "object" => true,
            _ when type.StartsWith("dict(", StringComparison.Ordinal) || models.ContainsKey(type) => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
        if (!fits) return [$"{path}: {type} expected, got {value.GetRawText()[..Math.Min(60, value.GetRawText().Length)]}"];
        return models.TryGetValue(type, out var fields)
            ? value.EnumerateObject().Where(p => fields.ContainsKey(p.Name))
                .SelectMany(p => Mismatches(p.Value, fields[p.Name], path.Length == 0 ? p.Name : $"{path}.{p.Name}", models))
            : [];
    }
}
