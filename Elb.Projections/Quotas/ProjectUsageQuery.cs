using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;
using Marten.Services.BatchQuerying;

namespace Elb.Projections.Quotas;

/// <summary>
/// A project's resources counted in one round trip: load balancers and their members from the load balancers' snapshots
/// (each stores its member count: a member add, the most frequent command, reads one row per load balancer of the
/// project, not one per member of it), the rest from the resource index.
/// </summary>
public sealed class ProjectUsageQuery : IProjectUsage
{
    public Task<ProjectUsage> CountIn(IBatchedQuery batch, string projectId, CountedKinds kinds = CountedKinds.All)
    {
        var none = Task.FromResult(0L);
        var loadBalancers = kinds.HasFlag(CountedKinds.LoadBalancers)
            ? batch.Query<LoadBalancer>().Where(lb => lb.ProjectId == projectId).Count()
            : none;
        Task<long> Count(CountedKinds kind, string name) => kinds.HasFlag(kind)
            ? batch.Query<ResourceLocation>().Where(l => l.ProjectId == projectId && l.Kind == name).Count()
            : none;
        var (listeners, pools, monitors) = (Count(CountedKinds.Listeners, ResourceKind.Listener),
            Count(CountedKinds.Pools, ResourceKind.Pool), Count(CountedKinds.HealthMonitors, ResourceKind.HealthMonitor));
        var members = kinds.HasFlag(CountedKinds.Members)
            ? batch.Query<LoadBalancer>().Where(lb => lb.ProjectId == projectId).Sum(lb => lb.MemberCount)
            : Task.FromResult(0);
        return Counted();

        async Task<ProjectUsage> Counted() =>
            new((int)await loadBalancers, (int)await listeners, (int)await pools, (int)await monitors, await members);
    }
}
