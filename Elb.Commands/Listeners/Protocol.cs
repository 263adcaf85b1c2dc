using System.Text.Json.Serialization;

namespace Elb.Commands.Listeners;

/// <summary>What a listener takes and a pool forwards (ELB v3's <c>protocol</c>); which fits which is <see cref="ProtocolRules"/>.</summary>
[JsonConverter(typeof(WireNameConverter<Protocol>))]
public enum Protocol { Tcp, Udp, Http, Https, Quic }
