using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Certificates;
using Elb.Commands.Identity;
using Elb.Commands.Quotas;
using Elb.Gateway.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Quotas;

public sealed record ChangeQuotaRequest(QuotaBody? Quota);

public sealed record QuotaBody(int? Loadbalancer, int? Listener, int? Pool, int? Healthmonitor, int? Member, int? MembersPerPool,
    int? ListenersPerLoadbalancer, int? Certificate);

/// <summary>ELB v3's quota of a project: how many of each resource it may have (-1: no limit).</summary>
public sealed record QuotaResource(string ProjectId, int Loadbalancer, int Listener, int Pool, int Healthmonitor, int Member,
    int MembersPerPool, int ListenersPerLoadbalancer, int Certificate);

/// <summary>One line of ELB v3's quota details: a limit (-1: none) and what is used of it.</summary>
public sealed record QuotaInfo(string QuotaKey, int QuotaLimit, int Used, string Unit = "count");

/// <summary>ELB v3's quotas of a project: read by its members, changed by a system admin.</summary>
public static class QuotaEndpoints
{
    [WolverineGet("/v3/{projectId}/elb/quotas")]
    [ElbAnswer("quota", typeof(QuotaResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Show(string projectId, IQuerySession session, CancellationToken cancellation) =>
        ElbResults.Resource("quota", Describe(projectId, await QuotaOfAsync(session, projectId, cancellation)));

    /// <summary>Each quota with what the project uses of it (ELB v3's <c>list_quota_details</c>), <c>?quota_key=</c> repeated for any of.</summary>
    [WolverineGet("/v3/{projectId}/elb/quotas/details")]
    [ElbAnswer("quotas", typeof(QuotaInfo), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Details(string projectId, [FromQuery(Name = "quota_key")] string[]? quotaKeys,
        IQuerySession session, IProjectUsage usage, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var project = batch.Load<Project>(ProjectStream.Key(projectId));
        var counted = usage.CountIn(batch, projectId);
        var certificates = batch.Query<Certificate>().Where(c => c.ProjectId == projectId).Count();
        await batch.Execute(cancellation);
        var (quota, used, certificateCount) = (QuotaRules.Of(await project), await counted, (int)await certificates);
        var details = new[]
        {
            new QuotaInfo("loadbalancer", quota.Loadbalancer, used.LoadBalancers),
            new QuotaInfo("listener", quota.Listener, used.Listeners),
            new QuotaInfo("pool", quota.Pool, used.Pools),
            new QuotaInfo("healthmonitor", quota.Healthmonitor, used.HealthMonitors),
            new QuotaInfo("member", quota.Member, used.Members),
            new QuotaInfo("certificate", quota.Certificate, certificateCount),
        };
        return Results.Json(new Dictionary<string, object>
        {
            ["quotas"] = details.Where(q => quotaKeys is not { Length: > 0 } || quotaKeys.Contains(q.QuotaKey)),
        }, ElbJson.Options);
    }

    [WolverinePut("/v3/{projectId}/elb/quotas")]
    [ElbAnswer("quota", typeof(QuotaResource))]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> Change(string projectId, ChangeQuotaRequest request, IMessageBus bus, CancellationToken cancellation) =>
        request.Quota is not { } body
            ? Task.FromResult(RuleViolation.MissingField("quota").ToProblem())
            : bus.Execute<Quota>(new ChangeQuota(projectId, body.Loadbalancer, body.Listener, body.Pool, body.Healthmonitor,
                    body.Member, body.MembersPerPool, body.ListenersPerLoadbalancer, body.Certificate),
                (quota, _) => Task.FromResult(ElbResults.Resource("quota", Describe(projectId, quota))), cancellation);

    private static async Task<Quota> QuotaOfAsync(IQuerySession session, string projectId, CancellationToken cancellation) =>
        QuotaRules.Of(await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation));

    private static QuotaResource Describe(string projectId, Quota quota) => new(projectId, quota.Loadbalancer, quota.Listener,
        quota.Pool, quota.Healthmonitor, quota.Member, quota.MembersPerPool, quota.ListenersPerLoadbalancer, quota.Certificate);
}
