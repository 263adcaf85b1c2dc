using Elb.Commands.LoadBalancers;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Elb.Projections.LoadBalancers;

/// <summary>
/// Keeps each load balancer's decision state as an inline snapshot, so a command loads one document instead of
/// replaying its stream; it is also what data-plane nodes load at start (with its stream version).
/// </summary>
public sealed class LoadBalancerSnapshotProjection : SingleStreamProjection<LoadBalancer, Guid>
{
    /// <summary>A rebuild writes each load balancer once per batch: a larger batch writes its large document less often.</summary>
    public LoadBalancerSnapshotProjection() => Options.BatchSize = ElbProjections.RebuildBatchSize;

    public override LoadBalancer? Evolve(LoadBalancer? snapshot, Guid id, IEvent e) =>
        e.Data is ILoadBalancerEvent data
            ? LoadBalancerStream.Evolve(snapshot, data) is { } next ? next with { Version = e.Version } : null
            : snapshot;
}
