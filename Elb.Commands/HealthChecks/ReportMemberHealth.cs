using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using Wolverine.Marten;

namespace Elb.Commands.HealthChecks;

/// <summary>A data-plane node's verdict on one member, sent over RabbitMQ (or posted over HTTP).</summary>
public sealed record ReportMemberHealth(
    string ProjectId,
    Guid LoadBalancerId,
    Guid PoolId,
    Guid MemberId,
    bool? Healthy,
    string? NodeId,
    DateTimeOffset? ObservedAt);

public sealed record MemberHealthChanged(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    MemberOperatingStatus OperatingStatus,
    string NodeId,
    DateTimeOffset ObservedAt) : ILoadBalancerEvent;

public static class ReportMemberHealthRules
{
    /// <summary>How far ahead of the gateway's clock a node's may be: further, its reports would outrank every later one.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Records a change of status only (a repeated verdict appends nothing, and so does one observed before the
    /// last recorded change, or before the member existed: it is about whatever had the address then); the first
    /// healthy verdict of a member waiting for slow start begins it (rule 10). A report dated more than
    /// <see cref="AllowedClockSkew"/> ahead of the gateway is refused.
    /// </summary>
    public static Decision Decide(LoadBalancer? state, ReportMemberHealth command, DateTimeOffset now)
    {
        if (command.Healthy is not { } healthy) return RuleViolation.MissingField("health_report.healthy");
        if (command.ObservedAt > now + AllowedClockSkew)
        {
            return RuleViolation.Invalid("ELB.HealthReportFromTheFuture",
                $"observed_at {command.ObservedAt:O} is more than {AllowedClockSkew.TotalSeconds:N0} s ahead of the gateway's clock ({now:O}).");
        }
        var pool = state.OwnedBy(command.ProjectId)?.FindPool(command.PoolId);
        if (pool?.FindMember(command.MemberId) is not { } member) return RuleViolation.NotFound("Member", command.MemberId);
        if (!pool.IsMonitored)
        {
            return RuleViolation.Conflict("ELB.HealthMonitorNotEnabled",
                $"Pool {pool.Id} has no enabled health monitor, so its members take no health reports.");
        }
        var observedAt = command.ObservedAt ?? now;
        if (member.HealthObservedAt > observedAt || observedAt < member.CreatedAt) return Decision.Accept();

        var status = healthy ? MemberOperatingStatus.Online : MemberOperatingStatus.Offline;
        var events = new List<ILoadBalancerEvent>();
        if (status != member.OperatingStatus)
        {
            events.Add(new MemberHealthChanged(member.Id, pool.Id, state!.ProjectId, state.Id, status,
                command.NodeId ?? "", observedAt));
        }
        if (healthy && member.SlowStart.Phase == SlowStartPhase.Pending)
        {
            events.Add(SlowStartRules.Begin(state!, pool, member.Id, observedAt));
        }
        return Decision.Accept(events);
    }
}

public static class ReportMemberHealthHandler
{
    public static (CommandOutcome<Guid>, Events) Handle(ReportMemberHealth command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, TimeProvider clock) =>
        ReportMemberHealthRules.Decide(state, command, clock.GetUtcNow()).Outcome(state, command.MemberId);
}
