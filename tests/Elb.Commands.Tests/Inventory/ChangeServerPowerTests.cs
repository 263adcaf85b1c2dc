using Elb.Commands.Inventory;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Inventory;

public class Rule14_StoppingOrRestartingAServerIsRecorded
{
    [Theory]
    [InlineData("stop", ServerStatus.Running, ServerStatus.Stopped)]
    [InlineData("start", ServerStatus.Stopped, ServerStatus.Running)]
    [InlineData("restart", ServerStatus.Running, ServerStatus.Running)]
    public void Actions_move_the_server_status(string action, ServerStatus from, ServerStatus to)
    {
        var (change, violation) = ServerPowerRules.Decide(Server("srv-1", "10.0.0.7", status: from),
            new ChangeServerPower(Project, "srv-1", action));

        Assert.Null(violation);
        Assert.Equal(to, change?.Status);
    }

    [Theory]
    [InlineData("explode")]
    [InlineData("STOP")]
    public void An_action_must_be_known_by_its_exact_name(string action)
    {
        Assert.Equal("ELB.UnsupportedServerAction", ServerPowerRules.Decide(Server("srv-1", "10.0.0.7"),
            new ChangeServerPower(Project, "srv-1", action)).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(null, ServerStatus.Running)]
    [InlineData("stopped", ServerStatus.Stopped)]
    public void A_server_registers_running_unless_its_status_is_named(string? status, ServerStatus registered)
    {
        var (server, violation) = RegisterServerRules.Decide(null, Subnet(), Registration(status), Now);

        Assert.Null(violation);
        Assert.Equal(registered, server?.Status);
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("RUNNING")]
    public void A_status_must_be_known_by_its_exact_name(string status)
    {
        Assert.Equal("ELB.InvalidServerStatus", RegisterServerRules.Decide(null, Subnet(), Registration(status), Now).Violation?.ErrorCode);
    }

    private static RegisterServer Registration(string? status) => new(Project, "srv-1", "web", "subnet-1", "10.0.0.7", "Linux", null, status);

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

        var decision = ServerPowerRules.MemberEvents(state, Server("srv-1", "10.0.0.7"), ServerPowerAction.Restart, Now);

        Assert.Equal(2, decision.Events.Count);
        Assert.All(decision.Events, e => Assert.Equal("restarted", Assert.IsType<BackendServerPowerChanged>(e).Action));
    }
}
