using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using Elb.Commands.SlowStart;
using Elb.Projections.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests;

internal static class Health
{
    /// <param name="at">When the node observed it.</param>
    /// <param name="receivedAt">The gateway's clock when it decides; when the node observed it, unless given.</param>
    public static Decision Report(LoadBalancer state, Guid memberId, bool healthy, DateTimeOffset? at = null,
        DateTimeOffset? receivedAt = null) =>
        ReportMemberHealthRules.Decide(state, new ReportMemberHealth(Project, LoadBalancerId, PoolId, memberId, healthy,
            "node1", at ?? Now), receivedAt ?? at ?? Now);

    public static LoadBalancer Apply(LoadBalancer state, Decision decision) =>
        decision.Events.Aggregate(state, (s, e) => LoadBalancerStream.Evolve(s, e)!);

    public static Member Member(this LoadBalancer state, Guid memberId) => state.FindPool(PoolId)!.FindMember(memberId)!;
}

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
        state = Health.Apply(state, Decision.Accept(MemberAdded("10.0.0.2", status: OperatingStatus.Offline, entersSlowStart: true, id: memberId)));
        Assert.Equal(SlowStartPhase.Pending, state.Member(memberId).SlowStart.Phase);

        var healthyAt = Now.AddMinutes(2);
        state = Health.Apply(state, Health.Report(state, memberId, healthy: true, healthyAt));
        state = Health.Apply(state, Health.Report(state, memberId, healthy: false, healthyAt.AddSeconds(10)));

        Assert.Equal(new MemberSlowStart(SlowStartPhase.Active, healthyAt, healthyAt.AddSeconds(60)), state.Member(memberId).SlowStart);
        Assert.Equal(OperatingStatus.Offline, state.Member(memberId).OperatingStatus);
    }

    [Fact]
    public void Rule10_when_health_checks_are_removed_waiting_members_begin_then()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true), MonitorCreated(), MemberAdded("10.0.0.1"),
            MemberAdded("10.0.0.2", status: OperatingStatus.Offline, entersSlowStart: true, id: memberId));

        var decision = DeleteHealthMonitorRules.Decide(state, new DeleteHealthMonitor(Project, LoadBalancerId, MonitorId), Now);

        Assert.Equal(memberId, Assert.IsType<SlowStartBegan>(decision.Events[1]).MemberId);
        Assert.Equal(OperatingStatus.NoMonitor, Health.Apply(state, decision).Member(memberId).OperatingStatus);
    }

    [Fact]
    public void Rule11_a_member_never_slow_starts_again()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated(slowStart: true), MonitorCreated(), MemberAdded("10.0.0.1"),
            MemberAdded("10.0.0.2", status: OperatingStatus.Offline, entersSlowStart: true, id: memberId));
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

public class Rule12_NewMembersWaitForTheirFirstHealthyCheck
{
    [Fact]
    public void With_a_health_monitor_a_new_member_is_offline_and_without_one_no_monitor()
    {
        Assert.Equal(OperatingStatus.Offline,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated(), MonitorCreated()), Members.Ip("10.0.0.1")).Single().OperatingStatus);
        Assert.Equal(OperatingStatus.NoMonitor,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.0.1")).Single().OperatingStatus);
        Assert.Equal(OperatingStatus.NoMonitor,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated(), MonitorCreated(adminStateUp: false)), Members.Ip("10.0.0.1")).Single().OperatingStatus);
    }

    [Fact]
    public void A_healthy_report_brings_it_online_and_a_repeated_one_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: OperatingStatus.Offline, id: memberId));

        var first = Health.Report(state, memberId, healthy: true);
        var online = Health.Apply(state, first);

        Assert.Equal(OperatingStatus.Online, Assert.IsType<MemberHealthChanged>(Assert.Single(first.Events)).OperatingStatus);
        Assert.Empty(Health.Report(online, memberId, healthy: true, Now.AddSeconds(5)).Events);
    }

    [Fact]
    public void A_report_observed_before_the_last_change_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: OperatingStatus.Offline, id: memberId));
        state = Health.Apply(state, Health.Report(state, memberId, healthy: true, Now.AddSeconds(10)));

        Assert.Empty(Health.Report(state, memberId, healthy: false, Now.AddSeconds(5)).Events);
    }

    [Fact]
    public void A_report_observed_before_the_member_existed_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: OperatingStatus.Offline,
            entersSlowStart: true, id: memberId));

        Assert.Empty(Health.Report(state, memberId, healthy: true, Now.AddDays(-7), receivedAt: Now).Events);
        Assert.Empty(Health.Report(state, memberId, healthy: true, Now.AddSeconds(-1), receivedAt: Now).Events);
        Assert.Equal(2, Health.Report(state, memberId, healthy: true, Now, receivedAt: Now).Events.Count);
    }

    [Theory]
    [InlineData(31, "ELB.HealthReportFromTheFuture")]
    [InlineData(30, null)]
    public void A_report_dated_more_than_the_allowed_skew_ahead_of_the_gateway_is_refused(int secondsAhead, string? errorCode)
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: OperatingStatus.Offline, id: memberId));

        var decision = Health.Report(state, memberId, healthy: true, Now.AddSeconds(secondsAhead), receivedAt: Now);

        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
        Assert.Equal(errorCode is null ? 1 : 0, decision.Events.Count);
    }

    [Fact]
    public void A_pool_without_an_enabled_monitor_takes_no_reports()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1", id: memberId));

        Assert.Equal("ELB.HealthMonitorNotEnabled", Health.Report(state, memberId, healthy: true).Violation?.ErrorCode);
    }
}

public class HealthMonitorApiRules
{
    private static Decision Create(LoadBalancer state, HealthMonitorInput input) =>
        CreateHealthMonitorRules.Decide(state, new CreateHealthMonitor(Project, LoadBalancerId, input), MonitorId, Now);

    private static HealthMonitorInput Input(string type = "HTTP", int delay = 5, int timeout = 3, int retries = 2,
        int? retriesDown = null, string? codes = null, string? path = null) =>
        new(PoolId, null, type, delay, timeout, retries, retriesDown, path, codes, null);

    [Fact]
    public void Defaults_are_3_failures_url_slash_and_code_200()
    {
        var created = Assert.IsType<HealthMonitorCreated>(Assert.Single(Create(Evolve(Created(), PoolCreated()), Input()).Events));

        Assert.Equal((3, "/", "200", true), (created.Settings.MaxRetriesDown, created.Settings.UrlPath,
            created.Settings.ExpectedCodes, created.Settings.AdminStateUp));
    }

    [Theory]
    [InlineData(0, 1, 1, "ELB.HealthMonitorOutOfRange")]
    [InlineData(51, 1, 1, "ELB.HealthMonitorOutOfRange")]
    [InlineData(5, 6, 1, "ELB.HealthMonitorTimeoutExceedsDelay")]
    [InlineData(5, 3, 11, "ELB.HealthMonitorOutOfRange")]
    public void Ranges_are_enforced(int delay, int timeout, int retries, string errorCode)
    {
        Assert.Equal(errorCode, Create(Evolve(Created(), PoolCreated()), Input(delay: delay, timeout: timeout, retries: retries)).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("200,202", true)]
    [InlineData("200-204", true)]
    [InlineData("200-204,301", true)]
    [InlineData("204-200", false)]
    [InlineData("2OO", false)]
    [InlineData("700", false)]
    public void Expected_codes_are_codes_lists_or_ranges(string codes, bool valid)
    {
        Assert.Equal(valid, HealthMonitorRules.ExpectedCodesAreValid(codes));
    }

    [Fact]
    public void One_monitor_per_pool_and_udp_pools_use_udp_connect()
    {
        Assert.Equal("ELB.PoolHasHealthMonitor", Create(Evolve(Created(), PoolCreated(), MonitorCreated()), Input()).Violation?.ErrorCode);
        Assert.Equal("ELB.HealthMonitorTypeMismatch", Create(Evolve(Created(), PoolCreated("UDP")), Input("HTTP")).Violation?.ErrorCode);
        Assert.Null(Create(Evolve(Created(), PoolCreated("UDP")), Input("UDP_CONNECT")).Violation);
    }

    [Fact]
    public void Adding_a_monitor_keeps_serving_members_online_and_disabling_it_makes_them_no_monitor()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1", id: memberId), MonitorCreated());
        Assert.Equal(OperatingStatus.Online, state.Member(memberId).OperatingStatus);

        var disabled = UpdateHealthMonitorRules.Decide(state, new UpdateHealthMonitor(Project, LoadBalancerId, MonitorId,
            new HealthMonitorInput(null, null, null, null, null, null, null, null, null, false)), Now);

        Assert.Equal(OperatingStatus.NoMonitor, Health.Apply(state, disabled).Member(memberId).OperatingStatus);
    }
}

public class Rule13_StatusTreePerAvailabilityZone
{
    [Fact]
    public void Each_zone_shows_its_members_and_healthy_members_and_a_zone_without_a_healthy_one_is_flagged()
    {
        var state = Evolve(Created(zones: ["az-1", "az-2"]), PoolCreated(), MonitorCreated(),
            MemberAdded("10.0.0.1", zone: "az-1", status: OperatingStatus.Online),
            MemberAdded("10.0.0.2", zone: "az-2", status: OperatingStatus.Offline));

        var tree = StatusTree.From(state);

        Assert.Equal("DEGRADED", tree.OperatingStatus);
        Assert.Equal(("az-1", 1, 1, true), (tree.AvailabilityZones[0].AvailabilityZone, tree.AvailabilityZones[0].Members,
            tree.AvailabilityZones[0].HealthyMembers, tree.AvailabilityZones[0].HasHealthyMember));
        Assert.Equal((1, 0, false), (tree.AvailabilityZones[1].Members, tree.AvailabilityZones[1].HealthyMembers, tree.AvailabilityZones[1].HasHealthyMember));
        Assert.Contains("az-2", tree.AvailabilityZones[1].Warning);
        Assert.Equal("DEGRADED", Assert.Single(tree.Pools).OperatingStatus);
    }

    [Fact]
    public void With_a_healthy_member_in_every_zone_the_load_balancer_is_online()
    {
        var state = Evolve(Created(zones: ["az-1", "az-2"]), PoolCreated(), MemberAdded("10.0.0.1", zone: "az-1"),
            MemberAdded("10.0.0.2", zone: "az-2"));

        Assert.Equal("ONLINE", StatusTree.From(state).OperatingStatus);
        Assert.All(StatusTree.From(state).AvailabilityZones, z => Assert.Null(z.Warning));
    }
}

public class Rule14_StoppingOrRestartingAServerIsRecorded
{
    [Theory]
    [InlineData("stop", ServerStatus.Running, ServerStatus.Stopped)]
    [InlineData("start", ServerStatus.Stopped, ServerStatus.Running)]
    [InlineData("restart", ServerStatus.Running, ServerStatus.Running)]
    public void Actions_move_the_server_status(string action, string from, string to)
    {
        var (status, violation) = ServerPowerRules.Decide(Server("srv-1", "10.0.0.7", status: from),
            new ChangeServerPower(Project, "srv-1", action));

        Assert.Null(violation);
        Assert.Equal(to, status);
    }

    [Fact]
    public void A_stopped_server_cannot_restart()
    {
        Assert.Equal("ELB.ServerStopped", ServerPowerRules.Decide(Server("srv-1", "10.0.0.7", status: ServerStatus.Stopped),
            new ChangeServerPower(Project, "srv-1", "restart")).Violation?.ErrorCode);
    }

    [Fact]
    public void Every_member_on_the_server_records_the_change_for_the_data_plane()
    {
        var secondPool = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), PoolCreated(id: secondPool),
            MemberAdded("10.0.0.7", instanceId: "srv-1"), MemberAdded("10.0.0.7", instanceId: "srv-1", poolId: secondPool),
            MemberAdded("10.0.0.8", instanceId: "srv-2"));

        var decision = ServerPowerRules.MemberEvents(state, Server("srv-1", "10.0.0.7"), "restart", Now);

        Assert.Equal(2, decision.Events.Count);
        Assert.All(decision.Events, e => Assert.Equal("restarted", Assert.IsType<BackendServerPowerChanged>(e).Action));
    }
}
