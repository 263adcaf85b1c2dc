using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.Egress;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests;

/// <summary>Adds members the way the handler does: with the inventory servers the request names.</summary>
internal static class Members
{
    public static Decision Add(LoadBalancer state, params MemberInput[] inputs) => Add(state, [], inputs);

    public static Decision Add(LoadBalancer state, Server[] servers, params MemberInput[] inputs) =>
        Add(state, servers, EgressPolicy.Production, inputs);

    public static Decision Add(LoadBalancer state, Server[] servers, EgressPolicy egress, params MemberInput[] inputs) =>
        AddBackendServersRules.Decide(state, new AddBackendServers(Project, LoadBalancerId, PoolId, inputs),
            servers.ToDictionary(s => s.Id, s => new InventoryServer(s, Subnet(s.SubnetId, vpc: s.SubnetId == "other-subnet" ? "vpc-2" : Vpc))),
            egress, [.. inputs.Select(_ => Guid.NewGuid())], Now);

    public static MemberInput Ip(string address, int port = 80, int? weight = null) => new(null, null, address, port, weight, null);

    public static MemberInput Instance(string serverId, int port = 80) => new(null, serverId, null, port, null, null);

    public static BackendServerAdded Single(this Decision decision) =>
        Assert.IsType<BackendServerAdded>(decision.Events.First(e => e is BackendServerAdded));
}

internal static class Pools
{
    public static Decision Create(LoadBalancer state, string protocol = "HTTP", string algorithm = "ROUND_ROBIN",
        SlowStartInput? slowStart = null, SessionPersistenceInput? sticky = null, Guid? listenerId = null, string? type = null) =>
        CreateBackendServerGroupRules.Decide(state, new CreateBackendServerGroup(Project, LoadBalancerId, listenerId, "api",
            null, protocol, algorithm, type, sticky, slowStart, null), Guid.NewGuid(), Now);

    public static Decision Update(LoadBalancer state, string? algorithm = null, SlowStartInput? slowStart = null,
        Optional<SessionPersistenceInput?> sticky = default) =>
        UpdateBackendServerGroupRules.Decide(state, new UpdateBackendServerGroup(Project, LoadBalancerId, PoolId, null,
            null, algorithm, sticky, slowStart, null), Now);
}

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
