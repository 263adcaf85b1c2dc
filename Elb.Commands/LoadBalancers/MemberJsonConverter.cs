using System.Text.Json;
using System.Text.Json.Serialization;
using Elb.Commands.HealthChecks;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// A <see cref="Member"/> read and written by hand, exactly as the serializer's own metadata does under
/// <see cref="ElbJson"/>'s options (names from its naming policy, nulls written, enums by their converters, unknown
/// properties skipped, a missing one left at its default).
/// </summary>
/// <remarks>
/// Hand-written because a starting node reads 500,000 members and the metadata's path for a 15-parameter constructor
/// boxes every argument: the routing snapshot of 10,000 load balancers took 0.95 s of CPU to read, 0.5 s this way.
/// Registered in <see cref="ElbJson"/>'s options only: Marten's stored documents keep their own names.
/// </remarks>
public sealed class MemberJsonConverter : JsonConverter<Member>
{
    private static readonly JsonEncodedText Id = Name(nameof(Member.Id));
    private static readonly JsonEncodedText MemberName = Name(nameof(Member.Name));
    private static readonly JsonEncodedText Address = Name(nameof(Member.Address));
    private static readonly JsonEncodedText ProtocolPort = Name(nameof(Member.ProtocolPort));
    private static readonly JsonEncodedText Weight = Name(nameof(Member.Weight));
    private static readonly JsonEncodedText MemberType = Name(nameof(Member.MemberType));
    private static readonly JsonEncodedText InstanceId = Name(nameof(Member.InstanceId));
    private static readonly JsonEncodedText SubnetCidrId = Name(nameof(Member.SubnetCidrId));
    private static readonly JsonEncodedText AvailabilityZone = Name(nameof(Member.AvailabilityZone));
    private static readonly JsonEncodedText Os = Name(nameof(Member.Os));
    private static readonly JsonEncodedText OperatingStatus = Name(nameof(Member.OperatingStatus));
    private static readonly JsonEncodedText HealthObservedAt = Name(nameof(Member.HealthObservedAt));
    private static readonly JsonEncodedText SlowStart = Name(nameof(Member.SlowStart));
    private static readonly JsonEncodedText CreatedAt = Name(nameof(Member.CreatedAt));
    private static readonly JsonEncodedText UpdatedAt = Name(nameof(Member.UpdatedAt));

    internal static JsonEncodedText Name(string property) => JsonEncodedText.Encode(ElbNamingPolicy.Instance.ConvertName(property));

    public override Member Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A member is a JSON object, not {reader.TokenType}.");
        Guid id = default;
        string? name = null, address = null, memberType = null, instanceId = null, subnetCidrId = null, availabilityZone = null, os = null;
        int protocolPort = 0, weight = 0;
        MemberOperatingStatus operatingStatus = default;
        DateTimeOffset? healthObservedAt = null;
        MemberSlowStart? slowStart = null;
        DateTimeOffset createdAt = default, updatedAt = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Checked in the order they are written, so the usual answer matches at the first or second comparison.
            if (reader.ValueTextEquals(Id.EncodedUtf8Bytes)) id = NextValue(ref reader).GetGuid();
            else if (reader.ValueTextEquals(MemberName.EncodedUtf8Bytes)) name = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(Address.EncodedUtf8Bytes)) address = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(ProtocolPort.EncodedUtf8Bytes)) protocolPort = NextValue(ref reader).GetInt32();
            else if (reader.ValueTextEquals(Weight.EncodedUtf8Bytes)) weight = NextValue(ref reader).GetInt32();
            else if (reader.ValueTextEquals(MemberType.EncodedUtf8Bytes)) memberType = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(InstanceId.EncodedUtf8Bytes)) instanceId = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(SubnetCidrId.EncodedUtf8Bytes)) subnetCidrId = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(AvailabilityZone.EncodedUtf8Bytes)) availabilityZone = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(Os.EncodedUtf8Bytes)) os = NextValue(ref reader).GetString();
            else if (reader.ValueTextEquals(OperatingStatus.EncodedUtf8Bytes))
                operatingStatus = Converter<MemberOperatingStatus>(options).Read(ref NextValue(ref reader), typeof(MemberOperatingStatus), options);
            else if (reader.ValueTextEquals(HealthObservedAt.EncodedUtf8Bytes)) healthObservedAt = NullableDate(ref NextValue(ref reader));
            else if (reader.ValueTextEquals(SlowStart.EncodedUtf8Bytes))
                slowStart = NextValue(ref reader).TokenType == JsonTokenType.Null
                    ? null
                    : Converter<MemberSlowStart>(options).Read(ref reader, typeof(MemberSlowStart), options);
            else if (reader.ValueTextEquals(CreatedAt.EncodedUtf8Bytes)) createdAt = NextValue(ref reader).GetDateTimeOffset();
            else if (reader.ValueTextEquals(UpdatedAt.EncodedUtf8Bytes)) updatedAt = NextValue(ref reader).GetDateTimeOffset();
            else NextValue(ref reader).Skip();
        }
        // The serializer's own metadata does not refuse a null for a non-nullable reference either.
        return new Member(id, name!, address!, protocolPort, weight, memberType!, instanceId, subnetCidrId, availabilityZone, os,
            operatingStatus, healthObservedAt, slowStart!, createdAt, updatedAt);
    }

    public override void Write(Utf8JsonWriter writer, Member member, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(Id, member.Id);
        writer.WriteString(MemberName, member.Name);
        writer.WriteString(Address, member.Address);
        writer.WriteNumber(ProtocolPort, member.ProtocolPort);
        writer.WriteNumber(Weight, member.Weight);
        writer.WriteString(MemberType, member.MemberType);
        writer.WriteString(InstanceId, member.InstanceId);
        writer.WriteString(SubnetCidrId, member.SubnetCidrId);
        writer.WriteString(AvailabilityZone, member.AvailabilityZone);
        writer.WriteString(Os, member.Os);
        writer.WritePropertyName(OperatingStatus);
        Converter<MemberOperatingStatus>(options).Write(writer, member.OperatingStatus, options);
        WriteNullableDate(writer, HealthObservedAt, member.HealthObservedAt);
        writer.WritePropertyName(SlowStart);
        if (member.SlowStart is null) writer.WriteNullValue();
        else Converter<MemberSlowStart>(options).Write(writer, member.SlowStart, options);
        writer.WriteString(CreatedAt, member.CreatedAt);
        writer.WriteString(UpdatedAt, member.UpdatedAt);
        writer.WriteEndObject();
    }

    /// <summary>Moves from a property's name to its value.</summary>
    internal static ref Utf8JsonReader NextValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        return ref reader;
    }

    internal static DateTimeOffset? NullableDate(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    internal static void WriteNullableDate(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } date) writer.WriteString(name, date);
        else writer.WriteNull(name);
    }

    /// <summary>The options' own converter for a property's type (for an enum, the one that gives its names).</summary>
    internal static JsonConverter<T> Converter<T>(JsonSerializerOptions options) => (JsonConverter<T>)options.GetConverter(typeof(T));
}

/// <summary>A member's <see cref="MemberSlowStart"/>, by hand for the same reason and with the same rules as <see cref="MemberJsonConverter"/>.</summary>
public sealed class MemberSlowStartJsonConverter : JsonConverter<MemberSlowStart>
{
    private static readonly JsonEncodedText Phase = MemberJsonConverter.Name(nameof(MemberSlowStart.Phase));
    private static readonly JsonEncodedText StartedAt = MemberJsonConverter.Name(nameof(MemberSlowStart.StartedAt));
    private static readonly JsonEncodedText EndsAt = MemberJsonConverter.Name(nameof(MemberSlowStart.EndsAt));

    public override MemberSlowStart Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A slow start is a JSON object, not {reader.TokenType}.");
        SlowStartPhase phase = default;
        DateTimeOffset? startedAt = null, endsAt = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Phase.EncodedUtf8Bytes))
                phase = MemberJsonConverter.Converter<SlowStartPhase>(options).Read(ref MemberJsonConverter.NextValue(ref reader), typeof(SlowStartPhase), options);
            else if (reader.ValueTextEquals(StartedAt.EncodedUtf8Bytes)) startedAt = MemberJsonConverter.NullableDate(ref MemberJsonConverter.NextValue(ref reader));
            else if (reader.ValueTextEquals(EndsAt.EncodedUtf8Bytes)) endsAt = MemberJsonConverter.NullableDate(ref MemberJsonConverter.NextValue(ref reader));
            else MemberJsonConverter.NextValue(ref reader).Skip();
        }
        // Most members never begin a slow start: they share the one value instead of half a million equal copies.
        return (phase, startedAt, endsAt) switch
        {
            (SlowStartPhase.None, null, null) => MemberSlowStart.None,
            (SlowStartPhase.Pending, null, null) => MemberSlowStart.Pending,
            _ => new MemberSlowStart(phase, startedAt, endsAt),
        };
    }

    public override void Write(Utf8JsonWriter writer, MemberSlowStart slowStart, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(Phase);
        MemberJsonConverter.Converter<SlowStartPhase>(options).Write(writer, slowStart.Phase, options);
        MemberJsonConverter.WriteNullableDate(writer, StartedAt, slowStart.StartedAt);
        MemberJsonConverter.WriteNullableDate(writer, EndsAt, slowStart.EndsAt);
        writer.WriteEndObject();
    }
}
