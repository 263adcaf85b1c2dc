using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Marten;

namespace Elb.Gateway;

/// <summary>Finds the load balancer stream a resource lives in; another project's resources are not found.</summary>
public static class Locations
{
    public static async Task<ResourceLocation?> FindAsync(this IQuerySession session, string projectId, string kind,
        Guid id, CancellationToken cancellation)
    {
        var location = await session.LoadAsync<ResourceLocation>(id, cancellation);
        return location is not null && location.Kind == kind && location.ProjectId == projectId ? location : null;
    }

    /// <summary>The load balancer holding a listener, pool, member or health monitor of this project.</summary>
    public static async Task<(LoadBalancer LoadBalancer, ResourceLocation Location)?> LoadHolderAsync(
        this IQuerySession session, string projectId, string kind, Guid id, CancellationToken cancellation)
    {
        if (await session.FindAsync(projectId, kind, id, cancellation) is not { } location) return null;
        return await session.LoadAsync<LoadBalancer>(location.LoadBalancerId, cancellation) is { } loadBalancer
            ? (loadBalancer, location)
            : null;
    }

    public static async Task<LoadBalancer?> LoadLoadBalancerAsync(this IQuerySession session, string projectId,
        Guid loadBalancerId, CancellationToken cancellation) =>
        (await session.LoadAsync<LoadBalancer>(loadBalancerId, cancellation)).OwnedBy(projectId);
}
