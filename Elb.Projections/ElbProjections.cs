using Elb.Projections.BackendServerGroups;
using Elb.Projections.BackendServers;
using Elb.Projections.LoadBalancers;
using JasperFx.Events.Projections;
using Marten;

namespace Elb.Projections;

public static class ElbProjections
{
    /// <summary>
    /// Registers every read model. All are inline: commands need the snapshot and the pool lookup in the same
    /// transaction, and the API answers a POST by reading what it just wrote.
    /// </summary>
    public static void AddElbProjections(this StoreOptions options)
    {
        options.Projections.Add<LoadBalancerSnapshotProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<LoadBalancerViewProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<PoolViewProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<MemberViewProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<MemberView>().Index(m => m.PoolId);
    }
}
