using System.Net;
using Elb.Commands.Egress;
using Elb.Commands.LoadBalancers;
using Microsoft.Extensions.Configuration;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Egress;

public sealed class EgressPolicyTests
{
    private static EgressPolicy Configured(params (string Key, string Value)[] settings) =>
        EgressPolicy.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Theory]
    [InlineData("169.254.169.254", 80, "ELB.EgressLinkLocal")]
    [InlineData("0.0.0.0", 80, "ELB.EgressThisNetwork")]
    [InlineData("224.0.0.1", 80, "ELB.EgressMulticast")]
    [InlineData("255.255.255.255", 80, "ELB.EgressReserved")]
    [InlineData("127.0.0.1", 8080, "ELB.EgressLoopback")]
    [InlineData("127.9.9.9", 5432, "ELB.EgressLoopback")]
    [InlineData("10.0.0.7", 80, null)]
    [InlineData("192.168.1.10", 5432, null)]
    public void Production_denies_the_metadata_service_non_hosts_and_loopback(string address, int port, string? errorCode) =>
        Assert.Equal(errorCode, Configured().Refuses(IPAddress.Parse(address), port)?.ErrorCode);

    [Theory]
    [InlineData("127.0.0.1", 8080, null)]
    [InlineData("127.0.7.20", 9001, null)]
    [InlineData("127.0.0.1", 5432, "ELB.EgressElbService")]
    [InlineData("127.0.0.1", 5672, "ELB.EgressElbService")]
    [InlineData("127.0.0.2", 15672, "ELB.EgressElbService")]
    [InlineData("127.0.0.1", 5080, "ELB.EgressElbService")]
    [InlineData("169.254.169.254", 80, "ELB.EgressLinkLocal")]
    public void The_local_profile_allows_loopback_but_not_elbs_own_ports(string address, int port, string? errorCode) =>
        Assert.Equal(errorCode, Configured(("Elb:Egress:Profile", "local")).Refuses(IPAddress.Parse(address), port)?.ErrorCode);

    [Fact]
    public void An_operator_denies_more_ranges_whole_or_by_port()
    {
        var policy = Configured(("Elb:Egress:Deny:0", "10.20.0.0/16"), ("Elb:Egress:Deny:1", "10.30.0.5/32:5432,6379"));
        Assert.Equal("ELB.EgressDenied", policy.Refuses(IPAddress.Parse("10.20.3.4"), 80)?.ErrorCode);
        Assert.Equal("ELB.EgressDenied", policy.Refuses(IPAddress.Parse("10.30.0.5"), 6379)?.ErrorCode);
        Assert.Null(policy.Refuses(IPAddress.Parse("10.30.0.5"), 80));
        Assert.Equal("ELB.EgressDenied", policy.Refuses(IPAddress.Parse("::ffff:10.20.0.1"), 80)?.ErrorCode);
    }

    [Fact]
    public void A_member_at_a_denied_address_is_refused_and_the_pool_is_unchanged()
    {
        var state = Evolve(Created(ipTargetEnable: true), PoolCreated());
        var refused = Members.Add(state, [], EgressPolicy.Local(EgressPolicy.DefaultServicePorts), Members.Ip("10.0.0.7"), Members.Ip("127.0.0.1", 5432));

        Assert.Equal("ELB.EgressElbService", refused.Violation?.ErrorCode);
        Assert.StartsWith("members[1]: ", refused.Violation!.Message);
        Assert.Empty(refused.Events);
    }
}
