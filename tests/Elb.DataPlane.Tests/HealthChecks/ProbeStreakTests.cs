using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.HealthChecks;

namespace Elb.DataPlane.Tests.HealthChecks;

public class ProbeStreakTests
{
    private const MemberOperatingStatus Online = MemberOperatingStatus.Online;
    private const MemberOperatingStatus Offline = MemberOperatingStatus.Offline;

    private static ProbeStreak Streak(int up = 2, int down = 3) =>
        new(new HealthCheckSettings("m", HealthMonitorType.Http, 1, 1, up, down, "/", "200", true));

    [Fact]
    public void A_member_reported_online_by_hand_while_its_probes_fail_goes_offline_at_the_next_failure_of_a_full_run()
    {
        var streak = Streak();
        // The loop began with the member OFFLINE everywhere: failures agree, nothing to do.
        for (var i = 0; i < 5; i++) Assert.Null(streak.Observe(false, Offline, Offline));

        // Then the control plane says ONLINE (a report posted through the API) while this node's verdict is still unset.
        Assert.Equal(Offline, streak.Observe(false, Online, Online));
    }

    [Fact]
    public void The_control_plane_is_corrected_even_where_this_node_already_holds_the_verdict()
    {
        var streak = Streak(down: 2);
        Assert.Null(streak.Observe(false, Offline, Online));
        Assert.Equal(Offline, streak.Observe(false, Offline, Online));
    }

    [Fact]
    public void Max_retries_down_failures_in_a_row_are_needed_and_a_success_starts_over()
    {
        var streak = Streak(down: 3);
        Assert.Null(streak.Observe(false, Online, Online));
        Assert.Null(streak.Observe(false, Online, Online));
        Assert.Null(streak.Observe(true, Online, Online));
        Assert.Null(streak.Observe(false, Online, Online));
        Assert.Null(streak.Observe(false, Online, Online));
        Assert.Equal(Offline, streak.Observe(false, Online, Online));
    }

    [Fact]
    public void One_success_brings_up_a_member_never_seen_healthy_then_max_retries_are_needed()
    {
        var streak = Streak(up: 3, down: 1);
        Assert.Equal(Online, streak.Observe(true, Offline, Offline));
        Assert.Equal(Offline, streak.Observe(false, Online, Online));
        Assert.Null(streak.Observe(true, Offline, Offline));
        Assert.Null(streak.Observe(true, Offline, Offline));
        Assert.Equal(Online, streak.Observe(true, Offline, Offline));
    }

    [Fact]
    public void After_a_verdict_a_new_run_must_settle_before_it_is_reported_again()
    {
        var streak = Streak(down: 2);
        Assert.Null(streak.Observe(false, Online, Online));
        Assert.Equal(Offline, streak.Observe(false, Online, Online));
        // The report is on its way: the control plane still says ONLINE for the next probe.
        Assert.Null(streak.Observe(false, Offline, Online));
        Assert.Equal(Offline, streak.Observe(false, Offline, Online));
    }
}
