using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Elb.Commands;

/// <summary>
/// Writes and reads a vocabulary enum by its ELB v3 name (<c>ROUND_ROBIN</c>, <c>HTTP_COOKIE</c>, or the name a
/// member's <see cref="JsonStringEnumMemberNameAttribute"/> gives) whatever options a serializer has: Marten stores
/// enums as numbers by default, and stored events and snapshots must keep the names they have always had. Numbers are
/// refused on reading, so a value no case names cannot slip in.
/// </summary>
public sealed class WireNameConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    where TEnum : struct, Enum;

/// <summary>
/// The vocabulary's names as the API and the stored events spell them, taken from the serializer itself so that what
/// is parsed and what is written cannot drift apart. Parsing is exact: <c>http</c> is not <c>HTTP</c>.
/// </summary>
public static class WireNames<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> NameOf =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => JsonSerializer.Serialize(value, ElbJson.Options).Trim('"'));

    private static readonly FrozenDictionary<string, TEnum> ValueOf =
        NameOf.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Every name, in the order the enum declares its cases (as refusals list them).</summary>
    public static readonly string All = string.Join(", ", Enum.GetValues<TEnum>().Select(Name));

    public static string Name(TEnum value) => NameOf.TryGetValue(value, out var name)
        ? name
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"No {typeof(TEnum).Name} has this value.");

    public static bool TryParse(string? text, out TEnum value) => ValueOf.TryGetValue(text ?? "", out value);
}

public static class WireNameExtensions
{
    /// <summary>The value as the API spells it, for messages (an enum's own ToString gives <c>RoundRobin</c>).</summary>
    public static string WireName<TEnum>(this TEnum value) where TEnum : struct, Enum => WireNames<TEnum>.Name(value);
}
