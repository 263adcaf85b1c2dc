using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.HealthChecks;

public class Rule12_NewMembersWaitForTheirFirstHealthyCheck
{
    [Fact]
    public void With_a_health_monitor_a_new_member_is_offline_and_without_one_no_monitor()
    {
        Assert.Equal(MemberOperatingStatus.Offline,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated(), MonitorCreated()), Members.Ip("10.0.0.1")).Single().OperatingStatus);
        Assert.Equal(MemberOperatingStatus.NoMonitor,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated()), Members.Ip("10.0.0.1")).Single().OperatingStatus);
        Assert.Equal(MemberOperatingStatus.NoMonitor,
            Members.Add(Evolve(Created(ipTargetEnable: true), PoolCreated(), MonitorCreated(adminStateUp: false)), Members.Ip("10.0.0.1")).Single().OperatingStatus);
    }

    [Fact]
    public void A_healthy_report_brings_it_online_and_a_repeated_one_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: MemberOperatingStatus.Offline, id: memberId));

        var first = Health.Report(state, memberId, healthy: true);
        var online = Health.Apply(state, first);

        Assert.Equal(MemberOperatingStatus.Online, Assert.IsType<MemberHealthChanged>(Assert.Single(first.Events)).OperatingStatus);
        Assert.Empty(Health.Report(online, memberId, healthy: true, Now.AddSeconds(5)).Events);
    }

    [Fact]
    public void A_report_observed_before_the_last_change_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: MemberOperatingStatus.Offline, id: memberId));
        state = Health.Apply(state, Health.Report(state, memberId, healthy: true, Now.AddSeconds(10)));

        Assert.Empty(Health.Report(state, memberId, healthy: false, Now.AddSeconds(5)).Events);
    }

    [Fact]
    public void A_report_observed_before_the_member_existed_records_nothing()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: MemberOperatingStatus.Offline,
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
        var state = Evolve(Created(), PoolCreated(), MonitorCreated(), MemberAdded("10.0.0.1", status: MemberOperatingStatus.Offline, id: memberId));

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
