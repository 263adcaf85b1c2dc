using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.HealthChecks;

public sealed record HealthMonitorResource(
    Guid Id,
    string ProjectId,
    Guid PoolId,
    IReadOnlyList<ResourceRef> Pools,
    string Name,
    HealthMonitorType Type,
    int Delay,
    int Timeout,
    int MaxRetries,
    int MaxRetriesDown,
    string UrlPath,
    string ExpectedCodes,
    bool AdminStateUp,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static HealthMonitorResource From(LoadBalancer lb, Pool p, HealthMonitor h)
    {
        var s = h.Settings;
        return new HealthMonitorResource(h.Id, lb.ProjectId, p.Id, [new ResourceRef(p.Id)], s.Name, s.Type, s.Delay,
            s.Timeout, s.MaxRetries, s.MaxRetriesDown, s.UrlPath, s.ExpectedCodes, s.AdminStateUp, h.CreatedAt, h.UpdatedAt);
    }
}
