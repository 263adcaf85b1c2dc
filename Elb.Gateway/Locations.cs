using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Elb.Projections.LoadBalancers;

namespace Elb.Gateway;

/// <summary>
/// Finds the load balancer stream a resource lives in; another project's resources are not found. A location never
/// changes once written (ids are not reused and a resource never moves to another load balancer), so a found one is
/// kept in memory: most commands skip the round trip. A resource deleted meanwhile is still located, and the command
/// or read that follows finds it missing from its load balancer, as it would without the cache.
/// </summary>
public sealed class ResourceLocations(ResourceLocationCacheOptions options) : IDisposable
{
    private readonly MemoryCache _found = new(new MemoryCacheOptions { SizeLimit = options.MaxEntries });

    public async Task<ResourceLocation?> FindAsync(IQuerySession session, string projectId, string kind, Guid id,
        CancellationToken cancellation)
    {
        if (!_found.TryGetValue(id, out ResourceLocation? location))
        {
            location = await session.LoadAsync<ResourceLocation>(id, cancellation);
            if (location is not null) _found.Set(id, location, new MemoryCacheEntryOptions { Size = 1 });
        }
        return location is not null && location.Kind == kind && location.ProjectId == projectId ? location : null;
    }

    public void Dispose() => _found.Dispose();
}

/// <summary>How many locations the gateway keeps in memory (<c>Elb:Locations:MaxEntries</c>); the rest are read again.</summary>
public sealed record ResourceLocationCacheOptions(int MaxEntries = 100_000);

public static class Locations
{
    /// <summary>The load balancer holding a located listener, pool, member or health monitor, as stored now.</summary>
    public static async Task<LoadBalancer?> LoadHolderAsync(this IQuerySession session, ResourceLocation? location,
        CancellationToken cancellation) =>
        location is null ? null : await session.LoadLoadBalancerAsync(location.LoadBalancerId, cancellation);

    public static async Task<LoadBalancer?> LoadLoadBalancerAsync(this IQuerySession session, string projectId,
        Guid loadBalancerId, CancellationToken cancellation) =>
        (await session.LoadLoadBalancerAsync(loadBalancerId, cancellation)).OwnedBy(projectId);
}
