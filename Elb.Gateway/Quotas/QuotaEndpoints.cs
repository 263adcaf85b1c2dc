using Elb.Commands;
using Elb.Commands.Certificates;
using Elb.Commands.Identity;
using Elb.Commands.Quotas;
using Elb.Gateway.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Quotas;

public sealed record ChangeQuotaRequest(QuotaBody? Quota);

public sealed record QuotaBody(int? Loadbalancer, int? Listener, int? Pool, int? Healthmonitor, int? Member, int? MembersPerPool,
    int? ListenersPerLoadbalancer, int? Certificate);

/// <summary>ELB v3's quotas of a project: read by its members, changed by a system admin.</summary>
public static class QuotaEndpoints
{
    [WolverineGet("/v3/{projectId}/elb/quotas")]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Show(string projectId, IQuerySession session, CancellationToken cancellation) =>
        ElbResults.Resource("quota", Describe(projectId, await QuotaOfAsync(session, projectId, cancellation)));

    /// <summary>Each quota with what the project uses of it (ELB v3's <c>list_quota_details</c>).</summary>
    [WolverineGet("/v3/{projectId}/elb/quotas/details")]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Details(string projectId, IQuerySession session, IProjectUsage usage,
        CancellationToken cancellation)
    {
        var quota = await QuotaOfAsync(session, projectId, cancellation);
        var used = await usage.OfAsync(session, projectId, cancellation);
        var certificates = await session.Query<Certificate>().CountAsync(c => c.ProjectId == projectId, cancellation);
        return Results.Json(new Dictionary<string, object>
        {
            ["quotas"] = new[]
            {
                ("loadbalancer", quota.Loadbalancer, used.LoadBalancers),
                ("listener", quota.Listener, used.Listeners),
                ("pool", quota.Pool, used.Pools),
                ("healthmonitor", quota.Healthmonitor, used.HealthMonitors),
                ("member", quota.Member, used.Members),
                ("certificate", quota.Certificate, certificates),
            }.ToDictionary(q => q.Item1, q => new[] { new { QuotaKey = q.Item1, QuotaLimit = q.Item2, Used = q.Item3, Unit = "count" } }),
        }, ElbJson.Options);
    }

    [WolverinePut("/v3/{projectId}/elb/quotas")]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> Change(string projectId, ChangeQuotaRequest request, IMessageBus bus, CancellationToken cancellation) =>
        request.Quota is not { } body
            ? Task.FromResult(RuleViolation.MissingField("quota").ToProblem())
            : bus.Execute<Quota>(new ChangeQuota(projectId, body.Loadbalancer, body.Listener, body.Pool, body.Healthmonitor,
                    body.Member, body.MembersPerPool, body.ListenersPerLoadbalancer, body.Certificate),
                (quota, _) => Task.FromResult(ElbResults.Resource("quota", Describe(projectId, quota))), cancellation);

    private static async Task<Quota> QuotaOfAsync(IQuerySession session, string projectId, CancellationToken cancellation) =>
        QuotaRules.Of(await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation));

    private static Dictionary<string, object> Describe(string projectId, Quota quota) => new()
    {
        ["project_id"] = projectId,
        ["loadbalancer"] = quota.Loadbalancer,
        ["listener"] = quota.Listener,
        ["pool"] = quota.Pool,
        ["healthmonitor"] = quota.Healthmonitor,
        ["member"] = quota.Member,
        ["members_per_pool"] = quota.MembersPerPool,
        ["listeners_per_loadbalancer"] = quota.ListenersPerLoadbalancer,
        ["certificate"] = quota.Certificate,
    };
}
