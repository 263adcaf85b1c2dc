using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using JasperFx.Events.Projections;
using Marten;

namespace Elb.Projections;

public static class ElbProjections
{
    /// <summary>
    /// Registers every read model. Both are inline: a command decides against the snapshot in its own transaction,
    /// and the API answers a write by reading what it just wrote.
    /// </summary>
    public static void AddElbProjections(this StoreOptions options)
    {
        options.Projections.Add<LoadBalancerSnapshotProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ResourceLocationProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<LoadBalancer>().Index(lb => lb.ProjectId);
        options.Schema.For<ResourceLocation>().Index(l => l.InstanceId).Index(l => l.Address);
        options.Schema.For<Subnet>().Identity(s => s.Key).Index(s => s.ProjectId);
        options.Schema.For<Server>().Identity(s => s.Key).Index(s => s.ProjectId);
    }
}
