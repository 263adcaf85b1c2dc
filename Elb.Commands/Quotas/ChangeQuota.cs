using Elb.Commands.Identity;
using Marten;

namespace Elb.Commands.Quotas;

/// <summary><c>PUT /v3/{project_id}/elb/quotas</c> (a system admin): the quotas given change, the rest stay.</summary>
public sealed record ChangeQuota(
    string ProjectId,
    int? Loadbalancer,
    int? Listener,
    int? Pool,
    int? Healthmonitor,
    int? Member,
    int? MembersPerPool,
    int? ListenersPerLoadbalancer,
    int? Certificate = null);

public static class ChangeQuotaRules
{
    public const int MaxQuota = 1_000_000;

    public static IdentityDecision Decide(Project? project, ChangeQuota command, DateTimeOffset now)
    {
        if (project is null) return ProjectStream.NotFound(command.ProjectId);
        int?[] given = [command.Loadbalancer, command.Listener, command.Pool, command.Healthmonitor, command.Member,
            command.MembersPerPool, command.ListenersPerLoadbalancer, command.Certificate];
        if (given.Any(q => q is < Quota.Unlimited or > MaxQuota))
        {
            return RuleViolation.Invalid("ELB.InvalidQuota", $"A quota is -1 (unlimited) or 0 to {MaxQuota}.");
        }
        var current = QuotaRules.Of(project);
        return IdentityDecision.Accept(new QuotaChanged(project.Id, new Quota(
            command.Loadbalancer ?? current.Loadbalancer,
            command.Listener ?? current.Listener,
            command.Pool ?? current.Pool,
            command.Healthmonitor ?? current.Healthmonitor,
            command.Member ?? current.Member,
            command.MembersPerPool ?? current.MembersPerPool,
            command.ListenersPerLoadbalancer ?? current.ListenersPerLoadbalancer,
            command.Certificate ?? current.Certificate), now));
    }
}

public static class ChangeQuotaHandler
{
    public static async Task<CommandOutcome<Quota>> Handle(ChangeQuota command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Project>(ProjectStream.Key(command.ProjectId), cancellation);
        var decision = ChangeQuotaRules.Decide(stream.Aggregate, command, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Quota>.Refused(violation);

        stream.AppendMany(decision.Events);
        return new CommandOutcome<Quota>(((QuotaChanged)decision.Events[0]).Quota, null);
    }
}
