using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.HealthChecks;

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

    [Theory]
    [InlineData("PING")]
    [InlineData("tcp")]
    [InlineData("UdpConnect")]
    public void The_type_must_be_known_by_its_exact_name(string type)
    {
        Assert.Equal("ELB.UnsupportedHealthMonitorType", Create(Evolve(Created(), PoolCreated()), Input(type)).Violation?.ErrorCode);
    }

    [Fact]
    public void An_update_that_leaves_the_type_out_keeps_it()
    {
        var state = Health.Apply(Evolve(Created(), PoolCreated(Protocol.Udp)), Create(Evolve(Created(), PoolCreated(Protocol.Udp)), Input("UDP_CONNECT")));
        var monitorId = state.FindPool(PoolId)!.HealthMonitor!.Id;

        var updated = UpdateHealthMonitorRules.Decide(state, new UpdateHealthMonitor(Project, LoadBalancerId, monitorId,
            new HealthMonitorInput(null, null, null, 10, null, null, null, null, null, null)), Now);

        Assert.Equal(HealthMonitorType.UdpConnect, Assert.IsType<HealthMonitorUpdated>(Assert.Single(updated.Events)).Settings.Type);
    }

    [Fact]
    public void One_monitor_per_pool_and_udp_pools_use_udp_connect()
    {
        Assert.Equal("ELB.PoolHasHealthMonitor", Create(Evolve(Created(), PoolCreated(), MonitorCreated()), Input()).Violation?.ErrorCode);
        Assert.Equal("ELB.HealthMonitorTypeMismatch", Create(Evolve(Created(), PoolCreated(Protocol.Udp)), Input("HTTP")).Violation?.ErrorCode);
        Assert.Null(Create(Evolve(Created(), PoolCreated(Protocol.Udp)), Input("UDP_CONNECT")).Violation);
    }

    [Fact]
    public void Adding_a_monitor_keeps_serving_members_online_and_disabling_it_makes_them_no_monitor()
    {
        var memberId = Guid.NewGuid();
        var state = Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.1", id: memberId), MonitorCreated());
        Assert.Equal(MemberOperatingStatus.Online, state.Member(memberId).OperatingStatus);

        var disabled = UpdateHealthMonitorRules.Decide(state, new UpdateHealthMonitor(Project, LoadBalancerId, MonitorId,
            new HealthMonitorInput(null, null, null, null, null, null, null, null, null, false)), Now);

        Assert.Equal(MemberOperatingStatus.NoMonitor, Health.Apply(state, disabled).Member(memberId).OperatingStatus);
    }
}
