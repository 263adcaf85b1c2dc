namespace Elb.Commands.Messaging;

public sealed record LoadBalancerProgress(long Version, string Digest);

/// <summary>
/// A data-plane node's periodic "alive, and this far along" (Octavia's amphora heartbeat is the model). Published to
/// the exchange <see cref="ElbExchanges.Heartbeats"/>, which feeds the gateway's queue <see cref="Queue"/>; never to the
/// public <c>elb.events</c> exchange.
/// </summary>
/// <param name="VipMap">The node's <c>DataPlane:VipMap</c> rules: where it serves each VIP.</param>
/// <param name="Unserved">Listeners the node should serve but cannot, and why (at most <see cref="MaxUnservedReported"/>).</param>
public sealed record DataPlaneHeartbeat(
    string NodeId,
    string AdminUrl,
    DateTimeOffset SentAt,
    IReadOnlyDictionary<Guid, LoadBalancerProgress> LoadBalancers,
    IReadOnlyList<string>? VipMap = null,
    IReadOnlyDictionary<Guid, string>? Unserved = null)
{
    public const string Queue = "elb.gateway.heartbeats";

    public const int MaxUnservedReported = 100;
}
