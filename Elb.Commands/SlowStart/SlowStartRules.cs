using Elb.Commands.BackendServerGroups;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;

namespace Elb.Commands.SlowStart;

/// <summary>The guide's six slow-start rules, as pure functions over a pool and its members.</summary>
public static class SlowStartRules
{
    public const int DefaultDuration = 30;
    public const int MinDuration = 30;
    public const int MaxDuration = 1200;

    /// <summary>Rule 8: slow start only for HTTP/HTTPS pools with weighted round robin on dedicated load balancers.</summary>
    public static RuleViolation? CanEnable(LoadBalancer loadBalancer, Protocol poolProtocol, LbAlgorithm algorithm, int duration)
    {
        if (duration is < MinDuration or > MaxDuration)
        {
            return RuleViolation.Invalid("ELB.InvalidSlowStartDuration",
                $"Slow start duration {duration} s is outside {MinDuration}-{MaxDuration} s.");
        }
        if (poolProtocol is not (Protocol.Http or Protocol.Https))
        {
            return RuleViolation.Conflict("ELB.SlowStartNeedsHttpPool",
                $"Slow start can only be enabled for HTTP and HTTPS pools, not for a {poolProtocol.WireName()} pool.");
        }
        if (algorithm != LbAlgorithm.RoundRobin)
        {
            return RuleViolation.Conflict("ELB.SlowStartNeedsRoundRobin",
                $"With slow start enabled only the weighted round robin algorithm (ROUND_ROBIN) can be used, not {algorithm.WireName()}.");
        }
        if (!loadBalancer.Guaranteed)
        {
            return RuleViolation.Conflict("ELB.SlowStartNeedsDedicated",
                $"Slow start applies only to dedicated load balancers; load balancer {loadBalancer.Id} is shared.");
        }
        return null;
    }

    /// <summary>Rule 9: only members added while slow start is on, and never the first member of an empty pool.</summary>
    public static bool NewMemberEnters(Pool pool) => pool.SlowStart.Enable && pool.Members.Count > 0;

    /// <summary>Rules 10 and 11: begins when first healthy (or at once without health checks), and only once.</summary>
    public static SlowStartBegan Begin(LoadBalancer loadBalancer, Pool pool, Guid memberId, DateTimeOffset at) =>
        new(memberId, pool.Id, loadBalancer.ProjectId, loadBalancer.Id, at, pool.SlowStart.Duration);

    /// <summary>
    /// Turning slow start off ends it for every member at once (pending ones never start); turning it on again
    /// does not bring any member back into it (rule 11).
    /// </summary>
    public static Pool ApplySettings(Pool pool, SlowStartSettings settings, DateTimeOffset at)
    {
        if (settings.Enable || !pool.SlowStart.Enable) return pool with { SlowStart = settings };

        return pool.WithAllMembers(m => m.SlowStart.PhaseAt(at) switch
        {
            SlowStartPhase.Pending => m with { SlowStart = MemberSlowStart.None },
            SlowStartPhase.Active => m with { SlowStart = m.SlowStart with { Phase = SlowStartPhase.Ended, EndsAt = at } },
            _ => m,
        }) with { SlowStart = settings };
    }
}

public sealed record SlowStartBegan(
    Guid MemberId,
    Guid PoolId,
    string ProjectId,
    Guid LoadBalancerId,
    DateTimeOffset StartedAt,
    int Duration) : ILoadBalancerEvent;
