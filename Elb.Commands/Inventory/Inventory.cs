using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Elb.Commands.Inventory;

/// <summary>
/// A subnet as the network service knows it. The inventory mirrors facts Elb does not own, so it is kept as plain
/// documents; what Elb must remember of it (a server stopped under a member) is recorded in load balancer streams.
/// </summary>
public sealed record Subnet(
    Guid Key,
    string Id,
    string ProjectId,
    string VpcId,
    string Cidr,
    string AvailabilityZone,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The prefix length of <see cref="Cidr"/>: /28 holds 16 addresses, /27 32.</summary>
    [JsonIgnore]
    public int PrefixLength => IPNetwork.Parse(Cidr).PrefixLength;
}

/// <summary>Whether a cloud server runs, as the compute service spells it (in lower case, unlike ELB's vocabulary).</summary>
[JsonConverter(typeof(WireNameConverter<ServerStatus>))]
public enum ServerStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("stopped")] Stopped,
}

/// <summary>A cloud server as the compute service knows it.</summary>
public sealed record Server(
    Guid Key,
    string Id,
    string ProjectId,
    string Name,
    string SubnetId,
    string Address,
    string Os,
    string AvailabilityZone,
    ServerStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Inventory ids are chosen by the services they mirror and unique only within a project, so the document key
/// is derived from (kind, project, id).
/// </summary>
public static class InventoryKey
{
    public static Guid Subnet(string projectId, string subnetId) => Derive("subnet", projectId, subnetId);

    public static Guid Server(string projectId, string serverId) => Derive("server", projectId, serverId);

    private static Guid Derive(string kind, string projectId, string id)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{projectId}\n{id}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}
