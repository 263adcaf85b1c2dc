using Elb.Commands;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.Gateway.Identity;
using Elb.Gateway.OpenApi;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Elb.Gateway.DataPlane;

/// <param name="AppliedVersion">The load balancer's stream version the node routes by (0: it has not applied it).</param>
/// <param name="Converged">The node's digest equals the control plane's: it routes exactly by the current state.</param>
public sealed record NodeConvergence(
    string Status,
    DateTimeOffset LastSeenAt,
    long AppliedVersion,
    string? Digest,
    long VersionsBehind,
    bool Converged);

/// <summary>The control plane's version and digest of one load balancer, and each online node's copy of it.</summary>
/// <param name="Converged">Every online node routes by the current state; false while no node is online.</param>
public sealed record LoadBalancerConvergence(
    Guid LoadBalancerId,
    long Version,
    string Digest,
    bool Converged,
    IReadOnlyList<NodeConvergence> Nodes);

/// <summary>
/// What a tenant sees of the data plane for a load balancer of its own: whether the nodes serving now route by its
/// current state. The nodes are not named (which node serves whom is Elb's business, as for <c>served_at</c>);
/// operators see them by name at <c>GET /v3/dataplane/nodes</c>.
/// </summary>
public static class LoadBalancerConvergenceEndpoints
{
    [WolverineGet("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/convergence")]
    [ElbAnswer("convergence", typeof(LoadBalancerConvergence))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Of(string projectId, Guid loadBalancerId, IQuerySession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        if (await session.LoadLoadBalancerAsync(projectId, loadBalancerId, cancellation) is not { } loadBalancer)
        {
            return RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem();
        }
        var now = clock.GetUtcNow();
        var controlPlane = LoadBalancerDigest.Of(loadBalancer);
        var nodes = (await session.Query<DataPlaneNode>().ToListAsync(cancellation))
            .Where(n => n.IsOnline(now))
            .OrderBy(n => n.Id, StringComparer.Ordinal)
            .Select(n => Of(n.LastSeenAt, n.LoadBalancers.GetValueOrDefault(loadBalancer.Id), controlPlane))
            .ToList();
        return ElbResults.Resource("convergence", new LoadBalancerConvergence(loadBalancer.Id, loadBalancer.Version,
            controlPlane.Digest, nodes.Count > 0 && nodes.All(n => n.Converged), nodes));
    }

    private static NodeConvergence Of(DateTimeOffset lastSeenAt, LoadBalancerProgress? applied, LoadBalancerDigest controlPlane) =>
        new("ONLINE", lastSeenAt, applied?.Version ?? 0, applied?.Digest, controlPlane.VersionsBehind(applied),
            controlPlane.IsRoutedBy(applied));
}
