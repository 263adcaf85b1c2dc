using System.Text.Json;
using Wolverine;
using Wolverine.Runtime.Serialization;

namespace Elb.Commands.PublicEvents;

/// <summary>Writes a <see cref="CloudEvent"/> as its structured-mode JSON, announced as <c>application/cloudevents+json</c>.</summary>
public sealed class CloudEventSerializer : IMessageSerializer
{
    public string ContentType => CloudEvent.ContentType;

    public byte[] Write(Envelope envelope) => WriteMessage(envelope.Message!);

    public byte[] WriteMessage(object message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), ElbJson.Options);

    public object ReadFromData(Type messageType, Envelope envelope) =>
        JsonSerializer.Deserialize(envelope.Data, messageType, ElbJson.Options)!;

    public object ReadFromData(byte[] data) => JsonSerializer.Deserialize<JsonElement>(data, ElbJson.Options);
}
