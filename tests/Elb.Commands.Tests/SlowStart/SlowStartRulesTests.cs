using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.SlowStart;

public class Rules9to11_WhichMembersSlowStartAndWhen
{
    private static readonly LoadBalancer SlowStartPool = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true));

    [Fact]
    public void Rule9_the_first_member_of_an_empty_pool_does_not_slow_start()
    {
        var decision = Members.Add(SlowStartPool, Members.Ip("10.0.0.1"));

        Assert.False(decision.Single().EntersSlowStart);
        Assert.DoesNotContain(decision.Events, e => e is SlowStartBegan);
    }

    [Fact]
    public void Rule9_later_members_slow_start_also_within_one_batch()
    {
        var decision = Members.Add(SlowStartPool, Members.Ip("10.0.0.1"), Members.Ip("10.0.0.2"));

        Assert.Equal([false, true], decision.Events.OfType<BackendServerAdded>().Select(e => e.EntersSlowStart));
    }

    [Fact]
    public void Rule9_members_added_while_slow_start_is_off_never_slow_start()
    {
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(), MemberAdded("10.0.0.1"));

        Assert.False(Members.Add(state, Members.Ip("10.0.0.2")).Single().EntersSlowStart);
    }

    [Fact]
    public void Rule10_without_health_checks_slow_start_begins_at_once_for_the_pools_duration()
    {
        var decision = Members.Add(Health.Apply(SlowStartPool, Members.Add(SlowStartPool, Members.Ip("10.0.0.1"))), Members.Ip("10.0.0.2"));

        var began = Assert.IsType<SlowStartBegan>(decision.Events[1]);
        Assert.Equal((Now, 60), (began.StartedAt, began.Duration));
    }

    [Fact]
    public void Rule10_with_health_checks_slow_start_begins_when_first_reported_healthy_and_runs_whatever_health_does()
    {
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true), MonitorCreated(), MemberAdded("10.0.0.1"));
        var memberId = Guid.NewGuid();
        state = Health.Apply(state, Decision.Accept(MemberAdded("10.0.0.2", status: MemberOperatingStatus.Offline, entersSlowStart: true, id: memberId)));
        Assert.Equal(SlowStartPhase.Pending, state.Member(memberId).SlowStart.Phase);

        var healthyAt = Now.AddMinutes(2);
        state = Health.Apply(state, Health.Report(state, memberId, healthy: true, healthyAt));
        state = Health.Apply(state, Health.Report(state, memberId, healthy: false, healthyAt.AddSeconds(10)));

        Assert.Equal(new MemberSlowStart(SlowStartPhase.Active, healthyAt, healthyAt.AddSeconds(60)), state.Member(memberId).SlowStart);
        Assert.Equal(MemberOperatingStatus.Offline, state.Member(memberId).OperatingStatus);
    }

    [Fact]
    public void Rule10_when_health_checks_are_removed_waiting_members_begin_then()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true), MonitorCreated(), MemberAdded("10.0.0.1"),
            MemberAdded("10.0.0.2", status: MemberOperatingStatus.Offline, entersSlowStart: true, id: memberId));

        var decision = DeleteHealthMonitorRules.Decide(state, new DeleteHealthMonitor(Project, LoadBalancerId, MonitorId), Now);

        Assert.Equal(memberId, Assert.IsType<SlowStartBegan>(decision.Events[1]).MemberId);
        Assert.Equal(MemberOperatingStatus.NoMonitor, Health.Apply(state, decision).Member(memberId).OperatingStatus);
    }

    [Fact]
    public void Rule11_a_member_never_slow_starts_again()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true), MonitorCreated(), MemberAdded("10.0.0.1"),
            MemberAdded("10.0.0.2", status: MemberOperatingStatus.Offline, entersSlowStart: true, id: memberId));
        state = Health.Apply(state, Health.Report(state, memberId, healthy: true));
        var began = state.Member(memberId).SlowStart;

        // a health flap, a weight change, and slow start turned off and on again
        state = Health.Apply(state, Health.Report(state, memberId, healthy: false, Now.AddSeconds(1)));
        var flap = Health.Report(state, memberId, healthy: true, Now.AddSeconds(2));
        state = Health.Apply(state, flap);
        state = Health.Apply(state, UpdateBackendServerRules.Decide(state, new UpdateBackendServer(Project, LoadBalancerId, PoolId, memberId, null, 9), Now));
        Assert.Equal(began, state.Member(memberId).SlowStart);

        state = Health.Apply(state, Pools.Update(state, slowStart: new SlowStartInput(false, null)));
        state = Health.Apply(state, Pools.Update(state, slowStart: new SlowStartInput(true, null)));

        Assert.DoesNotContain(flap.Events, e => e is SlowStartBegan);
        Assert.Equal(SlowStartPhase.Ended, state.Member(memberId).SlowStart.PhaseAt(Now));
    }

    [Fact]
    public void After_its_window_a_member_reads_as_ended()
    {
        var slowStart = new MemberSlowStart(SlowStartPhase.Active, Now, Now.AddSeconds(30));

        Assert.Equal(SlowStartPhase.Active, slowStart.PhaseAt(Now.AddSeconds(29)));
        Assert.Equal(SlowStartPhase.Ended, slowStart.PhaseAt(Now.AddSeconds(30)));
    }
}
