using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Marten;
using Wolverine;
using Wolverine.Http;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway.DataPlane;

/// <summary>The last heartbeat of a data-plane node, as the gateway received it.</summary>
public sealed record DataPlaneNode(
    string Id,
    string AdminUrl,
    DateTimeOffset LastSeenAt,
    IReadOnlyDictionary<Guid, LoadBalancerProgress> LoadBalancers,
    IReadOnlyList<string>? VipMap = null,
    IReadOnlyDictionary<Guid, string>? Unserved = null)
{
    public bool IsOnline(DateTimeOffset now) => now - LastSeenAt <= DataPlaneNodeEndpoints.SilenceLimit;
}

public static class DataPlaneHeartbeatHandler
{
    /// <summary>Records a heartbeat that a data-plane node published; one from any other RabbitMQ user is dropped.</summary>
    public static void Handle(DataPlaneHeartbeat heartbeat, Envelope envelope, DataPlaneUser nodes, IDocumentSession session,
        TimeProvider clock, ILogger<DataPlaneHeartbeat> logger)
    {
        if (!nodes.Sent(envelope, nameof(DataPlaneHeartbeat), logger)) return;
        session.Store(new DataPlaneNode(heartbeat.NodeId, heartbeat.AdminUrl, clock.GetUtcNow(), heartbeat.LoadBalancers,
            heartbeat.VipMap, heartbeat.Unserved?.Take(DataPlaneHeartbeat.MaxUnservedReported).ToDictionary()));
    }
}

public sealed record LaggingLoadBalancer(Guid LoadBalancerId, long ControlPlaneVersion, long AppliedVersion,
    string ExpectedDigest, string? Digest);

public sealed record NodeStatus(
    string Id,
    string AdminUrl,
    DateTimeOffset LastSeenAt,
    string Status,
    int LoadBalancers,
    long VersionsBehind,
    bool Converged,
    IReadOnlyList<LaggingLoadBalancer> Lagging,
    IReadOnlyList<Guid> Stale);

/// <summary>A load balancer's version and digest as the control plane holds them.</summary>
public sealed record LoadBalancerDigest(Guid LoadBalancerId, long Version, string Digest)
{
    public static LoadBalancerDigest Of(LoadBalancer loadBalancer) =>
        new(loadBalancer.Id, loadBalancer.Version, RoutingDigest.Of(loadBalancer));

    /// <summary>A node routes by exactly this state when its digest of the load balancer is this one.</summary>
    public bool IsRoutedBy(LoadBalancerProgress? applied) => applied?.Digest == Digest;

    public long VersionsBehind(LoadBalancerProgress? applied) => Math.Max(0, Version - (applied?.Version ?? 0));
}

/// <summary>Every node's status, and beside them the control plane's state each is compared with.</summary>
public sealed record DataPlaneNodes(IReadOnlyList<NodeStatus> Nodes, IReadOnlyList<LoadBalancerDigest> ControlPlane);

/// <summary>Octavia's health manager, in miniature: which nodes are alive, and how far each is behind the control plane.</summary>
public static class DataPlaneNodeEndpoints
{
    /// <summary>A node silent for longer than this is OFFLINE (heartbeats come every few seconds).</summary>
    public static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(15);

    private const int MaxLaggingListed = 100;

    [WolverineGet("/v3/dataplane/nodes")]
    [ElbAnswer(typeof(DataPlaneNodes))]
    [Authorize(Policy = ElbPolicy.DataPlaneRead)]
    public static async Task<IResult> List(IQuerySession session, TimeProvider clock, CancellationToken cancellation)
    {
        var nodes = await session.Query<DataPlaneNode>().ToListAsync(cancellation);
        // Each load balancer's digest hashes its whole state: computed once here, not again for every node.
        var controlPlane = (await session.ListLoadBalancersAsync(null, cancellation)).OrderBy(lb => lb.Id)
            .Select(LoadBalancerDigest.Of).ToList();
        var now = clock.GetUtcNow();
        return Results.Json(new DataPlaneNodes([.. nodes.OrderBy(n => n.Id).Select(n => Status(n, controlPlane, now))], controlPlane),
            ElbJson.Options);
    }

    public static NodeStatus Status(DataPlaneNode node, IReadOnlyList<LoadBalancerDigest> controlPlane, DateTimeOffset now)
    {
        var lagging = controlPlane
            .Select(lb => (lb, progress: node.LoadBalancers.GetValueOrDefault(lb.LoadBalancerId)))
            .Where(x => !x.lb.IsRoutedBy(x.progress))
            .ToList();
        var known = controlPlane.Select(lb => lb.LoadBalancerId).ToHashSet();
        var stale = node.LoadBalancers.Keys.Where(id => !known.Contains(id)).ToList();
        return new NodeStatus(node.Id, node.AdminUrl, node.LastSeenAt, node.IsOnline(now) ? "ONLINE" : "OFFLINE",
            node.LoadBalancers.Count, lagging.Sum(x => x.lb.VersionsBehind(x.progress)),
            lagging.Count == 0 && stale.Count == 0,
            [.. lagging.Take(MaxLaggingListed).Select(x => new LaggingLoadBalancer(x.lb.LoadBalancerId, x.lb.Version,
                x.progress?.Version ?? 0, x.lb.Digest, x.progress?.Digest))],
            [.. stale.Take(MaxLaggingListed)]);
    }
}
