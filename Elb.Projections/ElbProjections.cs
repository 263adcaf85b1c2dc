using System.Diagnostics;
using Elb.Commands.Certificates;
using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using Elb.Projections.Certificates;
using Elb.Projections.Identity;
using Elb.Projections.LoadBalancers;
using JasperFx.Events.Projections;
using Marten;
using System.Text.Json.Serialization.Metadata;
using Npgsql;

namespace Elb.Projections;

public static class ElbProjections
{
    /// <summary>Events a projection takes per batch when rebuilt (Marten's default is 500).</summary>
    public const int RebuildBatchSize = 5000;

    /// <summary>Load balancers a process keeps in memory for its next command on them: about 50 kB each at 100 members.</summary>
    private const int LoadBalancersCachedForWriting = 2000;

    /// <summary>Elb's event store: one definition for the gateway and for tools that write to the same store.</summary>
    public static void ConfigureElbStore(this StoreOptions options, string connectionString, string schema)
    {
        // Statements are traced inside a request's or a message's span only: Wolverine's and the daemon's polling
        // would otherwise start a trace of one statement every few seconds.
        options.ConfigureNpgsqlDataSourceBuilder(npgsql =>
            npgsql.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => Activity.Current is not null)));
        // A pooled connection is handed out several times per command: resetting it each time (DISCARD ALL) was a
        // third of the statements PostgreSQL ran per command, and Elb keeps no session state on a connection.
        // Marten sends the same few statements for every command: prepared once per connection, PostgreSQL stops
        // parsing and planning them each time.
        var connection = new NpgsqlConnectionStringBuilder(connectionString)
        {
            NoResetOnClose = true,
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        // Every change rewrites its load balancer's snapshot (its members are stored apart), compressed past 2 kB as it
        // is stored and decompressed as it is read: lz4 spends less CPU on both than PostgreSQL's default, pglz.
        connection.Options = $"{connection.Options} -c default_toast_compression=lz4".Trim();
        options.Connection(connection.ConnectionString);
        options.DatabaseSchemaName = schema;
        // A load balancer's members are stored apart from its snapshot (LoadBalancerStorage).
        options.UseSystemTextJsonForSerialization(configure: json => json.TypeInfoResolver =
            (json.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(LoadBalancerStorage.StoreMembersApart));
        // Wake subscriptions on every append instead of waiting for the next poll: publishing takes milliseconds, not ~1 s.
        options.Events.UseListenNotifyForEventAppends = true;
        // A command's decision and the inline snapshot projection share the one load of the load balancer.
        options.Events.UseIdentityMapForAggregates = true;
        // A command fetches its load balancer as Elb stores it, and takes the one this process wrote last from memory.
        var writeCache = new LoadBalancerWriteCache(LoadBalancersCachedForWriting);
        options.Projections.FetchPlanners.Add(new LoadBalancerFetchPlanner(writeCache));
        options.Listeners.Add(writeCache.StoreCommitted);
        // The snapshot projection writes the members an event changed (LoadBalancerSnapshotProjection.RaiseSideEffects).
        options.Events.EnableSideEffectsOnInlineProjections = true;
        // Single-stream projections rebuild stream by stream instead of in global order, each document written once.
        options.Events.UseOptimizedProjectionRebuilds = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.Events.MetadataConfig.UserNameEnabled = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.AddElbProjections();
        options.AddIdentityProjections();
    }

    /// <summary>
    /// Registers every read model. All are inline: a command decides against the snapshot in its own transaction,
    /// and the API answers a write by reading what it just wrote.
    /// </summary>
    public static void AddElbProjections(this StoreOptions options)
    {
        options.Projections.Add<LoadBalancerSnapshotProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ResourceLocationProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<VipAllocationProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CertificateProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Certificate>().Index(c => c.ProjectId);
        options.Schema.For<LoadBalancer>().Index(lb => lb.ProjectId);
        options.Schema.For<StoredMember>().Index(m => m.LoadBalancerId).Index(m => m.PoolId);
        options.Schema.For<ResourceLocation>().Index(l => l.InstanceId).Index(l => l.Address).Index(l => l.ProjectId);
        options.Schema.For<VipAllocation>().Index(v => v.Value);
        options.Schema.For<Subnet>().Identity(s => s.Key).Index(s => s.ProjectId);
        options.Schema.For<Server>().Identity(s => s.Key).Index(s => s.ProjectId);
    }
}
