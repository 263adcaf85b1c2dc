using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;

namespace Elb.Projections.Quotas;

/// <summary>A project's resources counted in one round trip: load balancers from their snapshots, the rest from the resource index.</summary>
public sealed class ProjectUsageQuery : IProjectUsage
{
    public async Task<ProjectUsage> OfAsync(IQuerySession session, string projectId, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var loadBalancers = batch.Query<LoadBalancer>().Where(lb => lb.ProjectId == projectId).Count();
        Task<long> Count(string kind) => batch.Query<ResourceLocation>().Where(l => l.ProjectId == projectId && l.Kind == kind).Count();
        var (listeners, pools, monitors, members) =
            (Count(ResourceKind.Listener), Count(ResourceKind.Pool), Count(ResourceKind.HealthMonitor), Count(ResourceKind.Member));
        await batch.Execute(cancellation);
        return new ProjectUsage((int)await loadBalancers, (int)await listeners, (int)await pools, (int)await monitors, (int)await members);
    }
}
