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

    public static async Task<LoadBalancer?> LoadLoadBalancerAsync(this IQuerySession session, string projectId,
        Guid loadBalancerId, CancellationToken cancellation) =>
        (await session.LoadAsync<LoadBalancer>(loadBalancerId, cancellation)).OwnedBy(projectId);
}
