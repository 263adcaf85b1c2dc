using Elb.Commands.BackendServers;
using Elb.Commands.Egress;
using Elb.Commands.Inventory;
using Elb.Commands.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.BackendServers;

/// <summary>ELB v3 adds a member in the VPC by <c>address</c> and <c>subnet_cidr_id</c>: the inventory server there.</summary>
public class MemberBySubnetAddressTests
{
    private static Decision Add(string address, string subnetId = "subnet-1")
    {
        var server = Server("ecs-1", "10.0.0.20");
        return AddBackendServersRules.Decide(Evolve(Created(), PoolCreated()),
            new AddBackendServers(Project, LoadBalancerId, PoolId, [new MemberInput(null, null, address, 80, null, null, subnetId)]),
            new Dictionary<string, InventoryServer> { [server.Id] = new(server, Subnet()) }, EgressPolicy.Production,
            [Guid.NewGuid()], Now, new Dictionary<string, Subnet> { ["subnet-1"] = Subnet() });
    }

    [Fact]
    public void The_server_at_the_address_becomes_an_instance_member()
    {
        var added = Assert.IsType<BackendServerAdded>(Add("10.0.0.20").Events.First(e => e is BackendServerAdded));

        Assert.Equal(("instance", "ecs-1", "subnet-1"), (added.MemberType, added.InstanceId, added.SubnetCidrId));
    }

    [Theory]
    [InlineData("10.0.0.21", "subnet-1", "ELB.ServerNotFound")]
    [InlineData("10.9.0.20", "subnet-1", "ELB.MemberAddressNotInSubnet")]
    [InlineData("not an address", "subnet-1", "ELB.MemberAddressNotInSubnet")]
    [InlineData("10.0.0.20", "subnet-9", "ELB.SubnetNotFound")]
    public void No_server_there_an_address_outside_the_subnet_or_an_unknown_subnet_is_refused(string address, string subnetId, string code)
    {
        Assert.Equal(code, Add(address, subnetId).Violation?.ErrorCode);
    }
}
