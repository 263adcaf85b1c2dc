using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Quotas;

public sealed class QuotaRulesTests
{
    private static readonly ProjectUsage Empty = new(0, 0, 0, 0, 0);

    [Fact]
    public void A_change_that_adds_past_a_project_quota_is_refused_naming_the_quota_and_its_value()
    {
        var quota = Quota.Defaults with { Loadbalancer = 2 };
        Assert.Null(QuotaRules.Check(quota, Empty with { LoadBalancers = 1 }, [Created()], null));
        var refused = QuotaRules.Check(quota, Empty with { LoadBalancers = 2 }, [Created()], null);
        Assert.Equal(("ELB.QuotaExceeded", 409), (refused?.ErrorCode, refused?.Status));
        Assert.Contains("'loadbalancer' is 2", refused!.Message);
    }

    [Fact]
    public void Members_per_pool_and_listeners_per_load_balancer_are_counted_in_the_state_after_the_change()
    {
        var quota = Quota.Defaults with { MembersPerPool = 2, ListenersPerLoadbalancer = 1 };
        ILoadBalancerEvent[] twoMembers = [MemberAdded("10.0.0.1"), MemberAdded("10.0.0.2")];
        var withTwo = Evolve([Created(ipTargetEnable: true), PoolCreated(), .. twoMembers]);
        Assert.Null(QuotaRules.Check(quota, Empty, twoMembers, withTwo));
        ILoadBalancerEvent[] third = [MemberAdded("10.0.0.3")];
        Assert.Contains("'members_per_pool' is 2", QuotaRules.Check(quota, Empty, third,
            third.Aggregate(withTwo, (s, e) => LoadBalancerStream.Evolve(s, e)!))?.Message);
        ILoadBalancerEvent[] secondListener = [ListenerCreated(port: 81, id: Guid.NewGuid())];
        var withListeners = Evolve(Created(), ListenerCreated(), secondListener[0]);
        Assert.Contains("'listeners_per_loadbalancer' is 1", QuotaRules.Check(quota, Empty, secondListener, withListeners)?.Message);
    }

    [Fact]
    public void Unlimited_quotas_and_changes_that_add_nothing_are_never_refused()
    {
        var unlimited = Quota.Defaults with { Member = Quota.Unlimited };
        Assert.Null(QuotaRules.Check(unlimited, Empty with { Members = 1_000_000 }, [MemberAdded("10.0.0.1")], null));
        // a quota lowered below what the project holds refuses new resources only, never a change to existing ones
        var lowered = Quota.Defaults with { Listener = 0 };
        Assert.Null(QuotaRules.Check(lowered, Empty with { Listeners = 5 }, [new LoadBalancerDeleted(LoadBalancerId, Project, Now)], null));
        Assert.Null(QuotaRules.Check(lowered, Empty with { Listeners = 5 }, [MemberAdded("10.0.0.1")], null));
    }
}
