using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace Elb.Commands.LoadBalancers;

/// <summary>
/// A short fingerprint of a load balancer's state (with its version). The gateway and every data-plane node compute
/// it from their own copies, so equal digests show at a glance that a node has converged.
/// </summary>
public static class RoutingDigest
{
    // States are immutable: a node asks for the same instance's digest at every heartbeat.
    private static readonly ConditionalWeakTable<LoadBalancer, string> Computed = new();

    public static string Of(LoadBalancer loadBalancer) => Computed.GetValue(loadBalancer, state =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(state, ElbJson.Options)))[..16]);
}

/// <summary>What the control plane holds of one load balancer, for a node to compare its copy with.</summary>
public sealed record RoutingDigestEntry(Guid LoadBalancerId, long Version, string Digest)
{
    public static RoutingDigestEntry Of(LoadBalancer loadBalancer) =>
        new(loadBalancer.Id, loadBalancer.Version, RoutingDigest.Of(loadBalancer));
}
