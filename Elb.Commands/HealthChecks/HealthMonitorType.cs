using System.Text.Json.Serialization;

namespace Elb.Commands.HealthChecks;

/// <summary>How a health monitor checks a member: a TCP connect, a UDP probe, or an HTTP(S) request.</summary>
[JsonConverter(typeof(WireNameConverter<HealthMonitorType>))]
public enum HealthMonitorType { Tcp, UdpConnect, Http, Https }
