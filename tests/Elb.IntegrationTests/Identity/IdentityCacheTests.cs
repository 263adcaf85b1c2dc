using System.Net;
using Elb.Commands.Identity;
using Elb.Gateway.Identity;
using Elb.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Elb.IntegrationTests.Identity;

/// <summary>The identity cache on its own: when an identity it read may be kept, used and forgotten.</summary>
public sealed class IdentityCacheTests
{
    private static readonly KnownIdentity Someone =
        new(new User(Guid.NewGuid(), "someone", null, null, [], [], DateTimeOffset.UnixEpoch), []);

    private static IdentityCache Trusted()
    {
        var cache = new IdentityCache(new IdentityCacheOptions(10));
        cache.Trust();
        return cache;
    }

    [Fact]
    public void Nothing_is_kept_or_used_while_changes_are_not_heard()
    {
        var cache = new IdentityCache(new IdentityCacheOptions(10));
        cache.Keep(Someone.User.Id, Someone, cache.Generation);
        Assert.False(cache.TryGet(Someone.User.Id, out _));

        cache.Trust();
        cache.Keep(Someone.User.Id, Someone, cache.Generation);
        cache.Distrust();
        Assert.False(cache.TryGet(Someone.User.Id, out _));
    }

    [Fact]
    public void An_identity_is_used_until_a_change_to_its_user_is_heard()
    {
        var cache = Trusted();
        cache.Keep(Someone.User.Id, Someone, cache.Generation);
        Assert.True(cache.TryGet(Someone.User.Id, out var kept));
        Assert.Same(Someone, kept);

        cache.Forget(Someone.User.Id);

        Assert.False(cache.TryGet(Someone.User.Id, out _));
    }

    [Fact]
    public void An_identity_read_while_a_change_was_heard_is_not_kept()
    {
        var cache = Trusted();
        var readAt = cache.Generation;

        cache.Forget(Someone.User.Id); // heard while the (older) identity was being read

        cache.Keep(Someone.User.Id, Someone, readAt);
        Assert.False(cache.TryGet(Someone.User.Id, out _));
    }

    [Fact]
    public void An_access_key_is_used_until_its_deletion_is_heard_and_never_taken_for_a_user()
    {
        var cache = Trusted();
        var changes = new IdentityChanges(cache, "unused");
        var key = new AccessKeyRecord(Someone.User.Id.ToString(), Someone.User.Id, "encrypted", DateTimeOffset.UnixEpoch);
        cache.Keep(Someone.User.Id, Someone, cache.Generation);
        cache.KeepKey(key, cache.Generation);

        changes.Heard(Someone.User.Id.ToString());
        Assert.False(cache.TryGet(Someone.User.Id, out _));
        Assert.True(cache.TryGetKey(key.Id, out var kept));
        Assert.Same(key, kept);

        changes.Heard(IdentityChanges.AccessKeyPrefix + key.Id);
        Assert.False(cache.TryGetKey(key.Id, out _));
    }

    [Fact]
    public void A_long_schema_still_has_a_channel_postgresql_accepts()
    {
        Assert.Equal("elb_identity_elb", IdentityChanges.ChannelOf("elb"));
        Assert.InRange(IdentityChanges.ChannelOf(new string('s', 100)).Length, 1, 63);
    }
}

/// <summary>The identity cache in the gateway: changes made elsewhere are heard, and a lost connection is survived.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IdentityChangeTests(GatewayFixture fixture)
{
    private readonly ElbApi _admin = new(fixture.Gateway);

    private IdentityCache Cache => fixture.Gateway.Services.GetRequiredService<IdentityCache>();

    [Fact]
    public async Task A_role_revoked_through_another_gateway_stops_this_ones_cached_identity_within_a_moment()
    {
        var loadBalancerId = await _admin.CreateLoadBalancerWithSubnetAsync();
        var viewer = await _admin.CreateUserAsync(_admin.Project, ElbRole.Viewer);
        var asViewer = TestIdentity.SignedClient(fixture.Gateway, viewer.AccessKey, viewer.SecretKey);
        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers/{loadBalancerId}")).IsSuccessStatusCode
            && Cache.TryGet(Guid.Parse(viewer.Id), out _), "the viewer's identity kept", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        await RevokeElsewhereAsync(Guid.Parse(viewer.Id), ElbRole.Viewer);

        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).StatusCode == HttpStatusCode.Forbidden,
            "the revocation heard", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task After_its_connection_is_cut_the_listener_connects_again_and_hears_changes()
    {
        var viewer = await _admin.CreateUserAsync(_admin.Project, ElbRole.Viewer);
        var asViewer = TestIdentity.SignedClient(fixture.Gateway, viewer.AccessKey, viewer.SecretKey);
        await using (var connection = new NpgsqlConnection(fixture.Services.Postgres))
        {
            await connection.OpenAsync();
            var cut = await new NpgsqlCommand(
                $"select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '{IdentityChangeListener.ApplicationName}'",
                connection).ExecuteScalarAsync();
            Assert.NotEqual(0L, cut);
        }
        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).IsSuccessStatusCode
            && Cache.TryGet(Guid.Parse(viewer.Id), out _), "the viewer's identity kept again", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        await RevokeElsewhereAsync(Guid.Parse(viewer.Id), ElbRole.Viewer);

        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).StatusCode == HttpStatusCode.Forbidden,
            "the revocation heard", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        // and identities are kept again: the listener is back
        var later = await _admin.CreateUserAsync(_admin.Project, ElbRole.Viewer);
        var asLater = TestIdentity.SignedClient(fixture.Gateway, later.AccessKey, later.SecretKey);
        await Eventually.Until(async () => (await asLater.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).IsSuccessStatusCode
            && Cache.TryGet(Guid.Parse(later.Id), out _), "identities kept again", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task An_access_key_deleted_through_another_gateway_is_refused_by_this_one_within_a_moment()
    {
        var viewer = await _admin.CreateUserAsync(_admin.Project, ElbRole.Viewer);
        var asViewer = TestIdentity.SignedClient(fixture.Gateway, viewer.AccessKey, viewer.SecretKey);
        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).IsSuccessStatusCode
            && Cache.TryGetKey(viewer.AccessKey, out _), "the viewer's key kept", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        await ChangeElsewhereAsync(Guid.Parse(viewer.Id), new AccessKeyDeleted(Guid.Parse(viewer.Id), viewer.AccessKey, DateTimeOffset.UtcNow));

        await Eventually.Until(async () => (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).StatusCode == HttpStatusCode.Unauthorized,
            "the deletion heard", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
    }

    /// <summary>As another gateway on the same store revokes it: its own sessions tell every gateway.</summary>
    private Task RevokeElsewhereAsync(Guid userId, ElbRole role) =>
        ChangeElsewhereAsync(ProjectStream.Key(_admin.Project), new RoleRevoked(_admin.Project, userId, role, DateTimeOffset.UtcNow));

    private async Task ChangeElsewhereAsync(Guid stream, object change)
    {
        var channel = IdentityChanges.ChannelOf(GatewayFixture.Schema);
        await using var otherGateway = DocumentStore.For(options =>
        {
            options.ConfigureElbStore(fixture.Services.Postgres, GatewayFixture.Schema);
            options.Listeners.Add(new IdentityChanges(new IdentityCache(new IdentityCacheOptions()), channel));
        });
        await using var session = otherGateway.LightweightSession();
        session.Events.Append(stream, change);
        await session.SaveChangesAsync();
    }
}
