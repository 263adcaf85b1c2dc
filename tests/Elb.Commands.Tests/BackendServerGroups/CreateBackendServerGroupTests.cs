using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.BackendServerGroups;

public class PoolApiRules
{
    [Fact]
    public void A_pool_made_for_a_listener_must_fit_its_protocol()
    {
        var decision = Pools.Create(Evolve(Created(), ListenerCreated(Protocol.Tcp)), "HTTP", listenerId: ListenerId);

        Assert.Equal("ELB.ListenerPoolProtocolMismatch", decision.Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("SMTP", "ROUND_ROBIN", "ELB.UnsupportedProtocol")]
    [InlineData("HTTP", "RANDOM", "ELB.UnsupportedAlgorithm")]
    [InlineData("http", "ROUND_ROBIN", "ELB.UnsupportedProtocol")]
    [InlineData("HTTP", "RoundRobin", "ELB.UnsupportedAlgorithm")]
    [InlineData("HTTP", "0", "ELB.UnsupportedAlgorithm")]
    public void Protocol_and_algorithm_must_be_known_by_their_exact_names(string protocol, string algorithm, string errorCode)
    {
        Assert.Equal(errorCode, Pools.Create(Evolve(Created()), protocol, algorithm).Violation?.ErrorCode);
    }

    [Fact]
    public void The_names_given_become_the_pools_vocabulary()
    {
        var created = Assert.IsType<BackendServerGroupCreated>(Assert.Single(Pools.Create(Evolve(Created()), "TCP", "SOURCE_IP",
            sticky: new SessionPersistenceInput("SOURCE_IP", null, null)).Events));

        Assert.Equal((Protocol.Tcp, LbAlgorithm.SourceIp, StickySessionType.SourceIp),
            (created.Protocol, created.LbAlgorithm, created.SessionPersistence?.Type));
    }

    [Fact]
    public void An_update_names_its_algorithm_exactly_or_keeps_the_pools()
    {
        var state = Evolve(Created(), PoolCreated(algorithm: LbAlgorithm.LeastConnections));

        Assert.Equal("ELB.UnsupportedAlgorithm", Pools.Update(state, "least_connections").Violation?.ErrorCode);
        Assert.Equal(LbAlgorithm.LeastConnections,
            Assert.IsType<BackendServerGroupUpdated>(Assert.Single(Pools.Update(state).Events)).LbAlgorithm);
    }

    [Fact]
    public void A_pool_with_members_or_serving_as_a_default_pool_cannot_be_deleted()
    {
        var command = new DeleteBackendServerGroup(Project, LoadBalancerId, PoolId);

        Assert.Equal("ELB.PoolInUse", DeleteBackendServerGroupRules.Decide(Evolve(Created(), PoolCreated(), MemberAdded("10.0.0.7")), command, Now).Violation?.ErrorCode);
        Assert.Equal("ELB.PoolInUse", DeleteBackendServerGroupRules.Decide(Evolve(Created(), PoolCreated(),
            ListenerCreated() with { DefaultPoolId = PoolId }), command, Now).Violation?.ErrorCode);
    }

    [Fact]
    public void Deleting_a_pool_deletes_its_health_monitor_first()
    {
        var decision = DeleteBackendServerGroupRules.Decide(Evolve(Created(), PoolCreated(), MonitorCreated()),
            new DeleteBackendServerGroup(Project, LoadBalancerId, PoolId), Now);

        Assert.Collection(decision.Events, e => Assert.IsType<HealthMonitorDeleted>(e), e => Assert.IsType<BackendServerGroupDeleted>(e));
    }

    [Fact]
    public void A_load_balancer_of_another_project_is_not_found()
    {
        var decision = CreateBackendServerGroupRules.Decide(Evolve(Created()), new CreateBackendServerGroup("project-b",
            LoadBalancerId, null, null, null, "HTTP", "ROUND_ROBIN", null, null, null, null), PoolId, Now);

        Assert.Equal(("ELB.LoadBalancerNotFound", 404), (decision.Violation?.ErrorCode, decision.Violation?.Status));
    }
}
