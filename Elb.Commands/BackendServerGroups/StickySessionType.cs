using System.Text.Json.Serialization;

namespace Elb.Commands.BackendServerGroups;

/// <summary>What ties a client to a member (ELB v3's <c>session_persistence.type</c>): its address, or a cookie Elb or the application sets.</summary>
[JsonConverter(typeof(WireNameConverter<StickySessionType>))]
public enum StickySessionType { SourceIp, HttpCookie, AppCookie }
