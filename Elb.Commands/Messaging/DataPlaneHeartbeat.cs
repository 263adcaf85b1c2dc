namespace Elb.Commands.Messaging;

public sealed record LoadBalancerProgress(long Version, string Digest);

/// <summary>
/// A data-plane node's periodic "alive, and this far along" (Octavia's amphora heartbeat is the model). Published to
/// the exchange <see cref="ElbExchanges.Heartbeats"/>, which feeds the gateway's queue <see cref="Queue"/>; never to the
/// public <c>elb.events</c> exchange.
/// </summary>
public sealed record DataPlaneHeartbeat(
    string NodeId,
    string AdminUrl,
    DateTimeOffset SentAt,
    IReadOnlyDictionary<Guid, LoadBalancerProgress> LoadBalancers)
{
    public const string Queue = "elb.gateway.heartbeats";
}
