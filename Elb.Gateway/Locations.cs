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

    /// <summary>The load balancer holding a located listener, pool, member or health monitor, as stored now.</summary>
    public static async Task<LoadBalancer?> LoadHolderAsync(this IQuerySession session, ResourceLocation? location,
        CancellationToken cancellation) =>
        location is null ? null : await session.LoadAsync<LoadBalancer>(location.LoadBalancerId, cancellation);

    public static async Task<LoadBalancer?> LoadLoadBalancerAsync(this IQuerySession session, string projectId,
        Guid loadBalancerId, CancellationToken cancellation) =>
        (await session.LoadAsync<LoadBalancer>(loadBalancerId, cancellation)).OwnedBy(projectId);
}
