using Elb.Commands.Messaging;
using Marten;
using Microsoft.Extensions.Logging;
using Wolverine;
using Elb.Commands.LoadBalancers;
using Wolverine.Marten;

namespace Elb.Commands.HealthChecks;

/// <summary>
/// A data-plane node saw a member change health: published to the exchange <see cref="ElbExchanges.HealthReports"/>,
/// which feeds the gateway's queue <see cref="Queue"/>.
/// </summary>
public sealed record MemberHealthObserved(
    string ProjectId,
    Guid LoadBalancerId,
    Guid PoolId,
    Guid MemberId,
    bool Healthy,
    string NodeId,
    DateTimeOffset ObservedAt)
{
    public const string Queue = "elb.gateway.health-reports";
}

public static class MemberHealthObservedHandler
{
    /// <summary>
    /// Records the report as the health-report command does, when a data-plane node published it (anything else is
    /// dropped); a refusal (the member is gone, say) is only logged.
    /// </summary>
    public static Events Handle(MemberHealthObserved observed,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state, Envelope envelope,
        DataPlaneUser nodes, TimeProvider clock, ILogger<MemberHealthObserved> logger)
    {
        if (!nodes.Sent(envelope, nameof(MemberHealthObserved), logger)) return [];
        var (outcome, events) = ReportMemberHealthHandler.Handle(new ReportMemberHealth(observed.ProjectId,
            observed.LoadBalancerId, observed.PoolId, observed.MemberId, observed.Healthy, observed.NodeId,
            observed.ObservedAt), state, clock);
        if (outcome.Violation is { } violation)
        {
            logger.LogInformation("Health report from {Node} not recorded: {Reason}", observed.NodeId, violation.Message);
        }
        return events;
    }
}
