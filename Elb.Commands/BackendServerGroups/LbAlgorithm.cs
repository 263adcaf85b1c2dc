using System.Text.Json.Serialization;

namespace Elb.Commands.BackendServerGroups;

/// <summary>How a pool spreads new requests over its members (ELB v3's <c>lb_algorithm</c>).</summary>
[JsonConverter(typeof(WireNameConverter<LbAlgorithm>))]
public enum LbAlgorithm { RoundRobin, LeastConnections, SourceIp }
