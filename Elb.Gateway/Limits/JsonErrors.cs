using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Elb.Gateway.Limits;

/// <summary>
/// A body that is JSON but does not fit the resource is refused by System.Text.Json with a message naming .NET types
/// ("could not be converted to Elb.Commands...CreateLoadBalancer. Path: $.loadbalancer.name"); a client needs the
/// field and what it takes instead. For records bound by constructor the message names the record holding the field,
/// so the field's own type is looked up on it.
/// </summary>
public static partial class JsonErrors
{
    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\. Path: \$\.?(?<path>[^\s|]*)")]
    private static partial Regex Conversion();

    public static string Describe(string message)
    {
        if (Conversion().Match(message) is not { Success: true } match) return message;
        var path = match.Groups["path"].Value;
        var field = path.Length == 0 ? "The body" : $"'{path}'";
        return $"{field} must be {Expected(FieldType(match.Groups["type"].Value, path))}.";
    }

    /// <summary>The type of the field the path ends in, where the named type is the record holding it.</summary>
    private static string FieldType(string typeName, string path)
    {
        var leaf = path.Split('.', '[')[^1];
        var holder = typeName.StartsWith("Elb.", StringComparison.Ordinal)
            ? typeof(JsonErrors).Assembly.GetType(typeName) ?? typeof(Elb.Commands.RuleViolation).Assembly.GetType(typeName)
            : null;
        var property = holder?.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == leaf);
        return property is null ? typeName : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).ToString();
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("Optional`1", StringComparison.Ordinal) => $"{Expected(type[(type.IndexOf('[') + 1)..])}, or null",
        _ when type.StartsWith("System.String", StringComparison.Ordinal) => "a string",
        _ when type.StartsWith("System.Guid", StringComparison.Ordinal) => "an id (a UUID string)",
        _ when type.StartsWith("System.Boolean", StringComparison.Ordinal) => "true or false",
        _ when type.StartsWith("System.DateTimeOffset", StringComparison.Ordinal) => "a time such as \"2026-12-02T10:00:00Z\"",
        _ when type.StartsWith("System.Int32", StringComparison.Ordinal) || type.StartsWith("System.Int64", StringComparison.Ordinal)
            => "a whole number",
        _ when type.StartsWith("System.Nullable`1", StringComparison.Ordinal) => Expected(type[(type.IndexOf('[') + 1)..]),
        _ when type.Contains("List`1", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };
}
