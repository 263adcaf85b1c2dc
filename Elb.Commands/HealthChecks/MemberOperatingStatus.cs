using System.Text.Json.Serialization;

namespace Elb.Commands.HealthChecks;

/// <summary>
/// A member's health as the control plane records it: ONLINE or OFFLINE by its pool's health checks, NO_MONITOR
/// while the pool has none switched on (the member takes traffic).
/// </summary>
[JsonConverter(typeof(WireNameConverter<MemberOperatingStatus>))]
public enum MemberOperatingStatus { Online, Offline, NoMonitor }
