using System.Text.Json;

namespace Elb.IntegrationTests.OpenApi;

/// <summary>
/// Whether a JSON answer fits a schema of the OpenAPI document: every property it has is documented, with the
/// documented JSON type, and every required one is there (an empty schema, <c>{}</c>, allows anything). Only the keywords the document uses ($ref, anyOf/oneOf,
/// type, enum, properties, required, additionalProperties, items): a JSON Schema library would need the document's
/// components wired in as a schema registry, more code than this for no more confidence.
/// </summary>
public sealed class SchemaCheck(JsonElement document)
{
    public List<string> Problems(JsonElement value, JsonElement schema, string at = "$")
    {
        if (schema.TryGetProperty("$ref", out var reference)) return Problems(value, Resolve(reference.GetString()!), at);
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (!schema.TryGetProperty(keyword, out var branches)) continue;
            var failures = branches.EnumerateArray().Select(branch => Problems(value, branch, at)).ToList();
            return failures.Any(f => f.Count == 0) ? [] : [$"{at}: fits no branch of {keyword}: {string.Join("; ", failures.SelectMany(f => f))}"];
        }
        var problems = new List<string>();
        if (schema.TryGetProperty("type", out var type) && !TypeAllows(type, value))
        {
            return [$"{at}: {value.ValueKind} where the document says {type.GetRawText()}"];
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetRawText() == value.GetRawText()))
        {
            problems.Add($"{at}: {value.GetRawText()} is not among {values.GetRawText()}");
        }
        // An empty schema allows anything (JSON Schema's own rule): what a history entry's data is depends on its event.
        if (value.ValueKind == JsonValueKind.Object && schema.EnumerateObject().Any())
        {
            var properties = schema.TryGetProperty("properties", out var documented) ? documented : default;
            var additional = schema.TryGetProperty("additionalProperties", out var extra) ? extra : default;
            foreach (var property in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    problems.AddRange(Problems(property.Value, propertySchema, $"{at}.{property.Name}"));
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    problems.AddRange(Problems(property.Value, additional, $"{at}.{property.Name}"));
                }
                else if (additional.ValueKind != JsonValueKind.True)
                {
                    problems.Add($"{at}.{property.Name}: answered but not documented");
                }
            }
            if (schema.TryGetProperty("required", out var required))
            {
                problems.AddRange(required.EnumerateArray().Select(r => r.GetString()!)
                    .Where(r => !value.TryGetProperty(r, out _)).Select(r => $"{at}.{r}: documented as required but not answered"));
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray()) problems.AddRange(Problems(item, items, $"{at}[{index++}]"));
        }
        return problems;
    }

    private JsonElement Resolve(string reference) =>
        reference.TrimStart('#', '/').Split('/').Aggregate(document, (node, name) => node.GetProperty(name));

    private static bool TypeAllows(JsonElement type, JsonElement value)
    {
        var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        return value.ValueKind switch
        {
            JsonValueKind.Object => allowed.Contains("object"),
            JsonValueKind.Array => allowed.Contains("array"),
            JsonValueKind.String => allowed.Contains("string"),
            JsonValueKind.Number => allowed.Contains("number") || (allowed.Contains("integer") && value.TryGetInt64(out _)),
            JsonValueKind.True or JsonValueKind.False => allowed.Contains("boolean"),
            JsonValueKind.Null => allowed.Contains("null"),
            _ => false,
        };
    }
}
