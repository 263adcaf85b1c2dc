using Elb.Gateway;
using Elb.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Elb.IntegrationTests;

[Collection(GatewayCollection.Name)]
public class ResourceLocationsTests(GatewayFixture fixture)
{
    private IDocumentStore Store => fixture.Gateway.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task A_found_location_is_answered_from_memory_afterwards()
    {
        var locations = new ResourceLocations(new ResourceLocationCacheOptions());
        var pool = new ResourceLocation(Guid.NewGuid(), ResourceKind.Pool, "project-a", Guid.NewGuid(), null, null);
        await WriteAsync(store => store.Store(pool));
        await using var session = Store.QuerySession();
        Assert.Equal(pool, await locations.FindAsync(session, "project-a", ResourceKind.Pool, pool.Id, default));

        await WriteAsync(store => store.Delete<ResourceLocation>(pool.Id));

        Assert.Equal(pool, await locations.FindAsync(session, "project-a", ResourceKind.Pool, pool.Id, default));
        Assert.Null(await locations.FindAsync(session, "project-b", ResourceKind.Pool, pool.Id, default));
        Assert.Null(await locations.FindAsync(session, "project-a", ResourceKind.Listener, pool.Id, default));
    }

    [Fact]
    public async Task A_location_not_found_is_looked_up_again()
    {
        var locations = new ResourceLocations(new ResourceLocationCacheOptions());
        var listener = new ResourceLocation(Guid.NewGuid(), ResourceKind.Listener, "project-a", Guid.NewGuid(), null, null);
        await using var session = Store.QuerySession();
        Assert.Null(await locations.FindAsync(session, "project-a", ResourceKind.Listener, listener.Id, default));

        await WriteAsync(store => store.Store(listener));

        Assert.Equal(listener, await locations.FindAsync(session, "project-a", ResourceKind.Listener, listener.Id, default));
    }

    private async Task WriteAsync(Action<IDocumentSession> change)
    {
        await using var session = Store.LightweightSession();
        change(session);
        await session.SaveChangesAsync();
    }
}
