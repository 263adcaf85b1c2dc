using System.Text.Json.Serialization;
using Elb.Commands;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// How a load balancer, listener or pool works now (ELB v3's <c>operating_status</c>), summed up from its members'
/// health or from what the nodes serve: ONLINE, DEGRADED where only part of it works, OFFLINE where none does.
/// </summary>
[JsonConverter(typeof(WireNameConverter<OperatingStatus>))]
public enum OperatingStatus { Online, Degraded, Offline }

/// <summary>
/// ELB v3's <c>provisioning_status</c>. Elb applies a change when the command commits, so a resource is ACTIVE from
/// its first answer: ELB's PENDING_CREATE and PENDING_UPDATE never show.
/// </summary>
[JsonConverter(typeof(WireNameConverter<ProvisioningStatus>))]
public enum ProvisioningStatus { Active }
