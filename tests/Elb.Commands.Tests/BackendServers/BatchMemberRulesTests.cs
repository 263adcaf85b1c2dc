using Elb.Commands.BackendServers;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.BackendServers;

public class BatchMemberRulesTests
{
    private static readonly Guid First = Guid.Parse("00000000-0000-0000-0000-0000000000f1");
    private static readonly Guid Second = Guid.Parse("00000000-0000-0000-0000-0000000000f2");

    private static LoadBalancer TwoMembers(bool deletionProtection = false) => Evolve(Created(), PoolCreated(deletionProtection: deletionProtection),
        MemberAdded("10.0.0.1", id: First), MemberAdded("10.0.0.2", id: Second));

    [Fact]
    public void A_batch_update_changes_every_member_by_the_single_rules_or_none_naming_the_one_refused()
    {
        var accepted = BatchUpdateBackendServersRules.Decide(TwoMembers(), new BatchUpdateBackendServers(Project, LoadBalancerId, PoolId,
            [new MemberChange(First, "a", 5), new MemberChange(Second, null, 0)]), Now);
        Assert.Equal([5, 0], accepted.Events.Cast<BackendServerUpdated>().Select(e => e.Weight));

        var refused = BatchUpdateBackendServersRules.Decide(TwoMembers(), new BatchUpdateBackendServers(Project, LoadBalancerId, PoolId,
            [new MemberChange(First, null, 5), new MemberChange(Second, null, 101)]), Now);
        Assert.Empty(refused.Events);
        Assert.Equal("ELB.InvalidWeight", refused.Violation?.ErrorCode);
        Assert.StartsWith("members[1]:", refused.Violation?.Message);
    }

    [Fact]
    public void A_batch_delete_removes_every_member_or_none_and_keeps_deletion_protection()
    {
        var command = new BatchRemoveBackendServers(Project, LoadBalancerId, PoolId, [First, Second]);

        var accepted = BatchRemoveBackendServersRules.Decide(TwoMembers(), command, Now);
        Assert.Empty(accepted.Events.Aggregate(TwoMembers(), (s, e) => LoadBalancerStream.Evolve(s, e)!).Pools[0].Members);
        Assert.Equal("ELB.MemberDeletionProtected", BatchRemoveBackendServersRules.Decide(TwoMembers(deletionProtection: true), command, Now).Violation?.ErrorCode);
        Assert.Equal("ELB.MemberNotFound", BatchRemoveBackendServersRules.Decide(TwoMembers(),
            command with { MemberIds = [First, First] }, Now).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData(0, "ELB.MissingField")]
    [InlineData(201, "ELB.BatchTooLarge")]
    public void A_batch_holds_1_to_200_members(int count, string errorCode)
    {
        Assert.Equal(errorCode, MemberBatch.CountFits(count)?.ErrorCode);
        Assert.Null(MemberBatch.CountFits(200));
    }
}
