using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Projections;
using Elb.Projections.LoadBalancers;
using Marten;

namespace Elb.Commands.Tests.LoadBalancers;

/// <summary>
/// Events and documents as Marten stored them before protocols, algorithms, statuses and types were enums (copied from
/// a store, keys in jsonb's order): each still reads into the enums, and is written back exactly as it was.
/// </summary>
public class StoredPayloadTests
{
    private static readonly ISerializer Store = StoreSerializer();

    private static ISerializer StoreSerializer()
    {
        var options = new StoreOptions();
        options.ConfigureElbStore("Host=localhost", "elb");
        return options.Serializer();
    }

    private static T ReadsAndWritesBackUnchanged<T>(string stored)
    {
        var read = Store.FromJson<T>(new MemoryStream(Encoding.UTF8.GetBytes(stored)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(Store.ToJson(read))), Store.ToJson(read));
        return read;
    }

    [Fact]
    public void A_listener_created()
    {
        var e = ReadsAndWritesBackUnchanged<ListenerCreated>("""
            {"Name": "", "Protocol": "HTTPS", "CreatedAt": "2026-12-02T07:42:49.6884994+00:00", "ProjectId": "p-f1cc305683564039b706bebf757e2ba9", "ListenerId": "01a235b4-c752-7579-9910-1f1f6bef3753", "Description": "", "ProtocolPort": 42227, "DefaultPoolId": "01a235b4-c665-751d-ab4c-57f2657baa2d", "LoadBalancerId": "01a235b4-c5bd-7478-b5e0-fca8de7b857d", "SniContainerRefs": ["01a235b4-c31e-705d-9972-7303e0e3eb5c"], "DefaultTlsContainerRef": "01a235b4-c30b-7e52-9561-ee5a13598e38"}
            """);

        Assert.Equal(Protocol.Https, e.Protocol);
    }

    [Fact]
    public void A_pool_created_with_sticky_sessions()
    {
        var e = ReadsAndWritesBackUnchanged<BackendServerGroupCreated>("""
            {"Name": "api", "Type": "", "PoolId": "01a235b6-5ddf-7fad-8fe2-44b28f88050c", "Protocol": "HTTP", "CreatedAt": "2026-12-02T07:44:33.7598324+00:00", "ProjectId": "p-551c01f308054e9d8aaa781c50d8b0a8", "SlowStart": {"Enable": false, "Duration": 30}, "ListenerId": null, "Description": "", "LbAlgorithm": "ROUND_ROBIN", "LoadBalancerId": "01a235b6-5dbb-7ab5-ad80-3927deb53783", "ConnectionDrain": {"Enable": false, "Timeout": 300}, "SessionPersistence": {"Type": "HTTP_COOKIE", "CookieName": null, "PersistenceTimeout": 1440}, "MemberDeletionProtectionEnable": false}
            """);

        Assert.Equal((Protocol.Http, LbAlgorithm.RoundRobin, StickySessionType.HttpCookie), (e.Protocol, e.LbAlgorithm, e.SessionPersistence?.Type));
    }

    [Fact]
    public void A_pool_updated()
    {
        var e = ReadsAndWritesBackUnchanged<BackendServerGroupUpdated>("""
            {"Name": "api", "PoolId": "01a235b7-1fc3-77a9-a13c-45d7463b2ab3", "ProjectId": "p-b221921243bc4a2bae91375d65202517", "SlowStart": {"Enable": false, "Duration": 30}, "UpdatedAt": "2026-12-02T07:45:23.4091793+00:00", "Description": "", "LbAlgorithm": "LEAST_CONNECTIONS", "LoadBalancerId": "01a235b7-1fba-75ac-9f7d-cd68346b286f", "ConnectionDrain": {"Enable": false, "Timeout": 300}, "SessionPersistence": {"Type": "APP_COOKIE", "CookieName": "JSESSIONID", "PersistenceTimeout": 1440}, "MemberDeletionProtectionEnable": false}
            """);

        Assert.Equal((LbAlgorithm.LeastConnections, StickySessionType.AppCookie), (e.LbAlgorithm, e.SessionPersistence?.Type));
    }

    [Fact]
    public void A_member_added()
    {
        var e = ReadsAndWritesBackUnchanged<BackendServerAdded>("""
            {"Os": null, "Name": "", "PoolId": "01a235b4-c665-751d-ab4c-57f2657baa2d", "Weight": 1, "AddedAt": "2026-12-02T07:42:49.6347545+00:00", "Address": "127.0.0.1", "MemberId": "01a235b4-c722-7bb4-a90c-0d27c44f83a2", "ProjectId": "p-f1cc305683564039b706bebf757e2ba9", "InstanceId": null, "MemberType": "ip", "ProtocolPort": 45047, "SubnetCidrId": null, "LoadBalancerId": "01a235b4-c5bd-7478-b5e0-fca8de7b857d", "EntersSlowStart": false, "OperatingStatus": "NO_MONITOR", "AvailabilityZone": null}
            """);

        Assert.Equal(MemberOperatingStatus.NoMonitor, e.OperatingStatus);
    }

    [Fact]
    public void A_member_health_change()
    {
        var e = ReadsAndWritesBackUnchanged<MemberHealthChanged>("""
            {"NodeId": "node1", "PoolId": "01a235b7-3414-707b-92a8-a212f8ce8326", "MemberId": "01a235b7-3459-74ce-a81b-3ec64b95e729", "ProjectId": "p-80ee2387804f4d29a760720459b9aa66", "ObservedAt": "2026-12-02T07:45:28.7373557+00:00", "LoadBalancerId": "01a235b7-3407-7ad4-8d21-0d2f83ab0f78", "OperatingStatus": "ONLINE"}
            """);

        Assert.Equal(MemberOperatingStatus.Online, e.OperatingStatus);
    }

    [Fact]
    public void A_health_monitor_created()
    {
        var e = ReadsAndWritesBackUnchanged<HealthMonitorCreated>("""
            {"PoolId": "01a235b4-dbd6-7279-a02a-ec10d8ce4778", "Settings": {"Name": "", "Type": "UDP_CONNECT", "Delay": 5, "Timeout": 3, "UrlPath": "/", "MaxRetries": 2, "AdminStateUp": true, "ExpectedCodes": "200", "MaxRetriesDown": 3}, "CreatedAt": "2026-12-02T07:42:54.9660264+00:00", "ProjectId": "p-edb72d41d7394ae1a1f7721a39787f2b", "LoadBalancerId": "01a235b4-dbcc-759c-a1bb-e76975bfa9b6", "HealthMonitorId": "01a235b4-dbf6-719d-bce4-ce0647f3bbd9"}
            """);

        Assert.Equal(HealthMonitorType.UdpConnect, e.Settings.Type);
    }

    [Fact]
    public void A_load_balancer_snapshot_is_stored_with_its_member_count_in_place_of_its_members()
    {
        const string stored = """
            {"Id": "01a235b4-cd15-78eb-adf8-dbbc3313cbcf", "Name": "web", "Pools": [{"Id": "01a235b4-cd23-7b10-91c6-5a3cff44ab6c", "Name": "api", "Type": "", "Protocol": "HTTP", "CreatedAt": "2026-12-02T07:42:51.1719107+00:00", "SlowStart": {"Enable": false, "Duration": 30}, "UpdatedAt": "2026-12-02T07:42:51.381961+00:00", "ListenerId": null, "Description": "", "LbAlgorithm": "SOURCE_IP", "HealthMonitor": {"Id": "01a235b4-cdf5-7798-9a80-96181e417934", "Settings": {"Name": "", "Type": "TCP", "Delay": 1, "Timeout": 1, "UrlPath": "/", "MaxRetries": 1, "AdminStateUp": true, "ExpectedCodes": "200", "MaxRetriesDown": 3}, "CreatedAt": "2026-12-02T07:42:51.381961+00:00", "UpdatedAt": "2026-12-02T07:42:51.381961+00:00"}, "ConnectionDrain": {"Enable": false, "Timeout": 300}, "SessionPersistence": null, "MemberDeletionProtectionEnable": false}], "VpcId": "vpc-1", "Version": 9, "CreatedAt": "2026-12-02T07:42:51.1578969+00:00", "Listeners": [{"Id": "01a235b4-ce18-7f4d-b023-b226480e8821", "Name": "", "Protocol": "QUIC", "CreatedAt": "2026-12-02T07:42:51.416707+00:00", "UpdatedAt": "2026-12-02T07:42:51.416707+00:00", "Description": "", "ProtocolPort": 42291, "DefaultPoolId": "01a235b4-cd23-7b10-91c6-5a3cff44ab6c", "SniContainerRefs": [], "DefaultTlsContainerRef": null}], "ProjectId": "p-7eb2366566304e6bb2946b4c3440640b", "UpdatedAt": "2026-12-02T07:42:51.44619+00:00", "Guaranteed": true, "VipAddress": "10.0.0.9", "Description": "", "IpTargetEnable": true, "VipSubnetCidrId": "subnet-1", "AvailabilityZoneList": ["az-1", "az-2"], "MemberCount": 2}
            """;
        var snapshot = Store.FromJson<LoadBalancer>(new MemoryStream(Encoding.UTF8.GetBytes(stored)));

        var pool = Assert.Single(snapshot.Pools);
        Assert.Equal((Protocol.Http, LbAlgorithm.SourceIp, HealthMonitorType.Tcp, Protocol.Quic),
            (pool.Protocol, pool.LbAlgorithm, pool.HealthMonitor?.Settings.Type, snapshot.Listeners[0].Protocol));
        // read without members, they are read apart (LoadBalancerStorage), never mistaken for an empty pool
        Assert.Null(pool.Members);
        var member = ReadsAndWritesBackUnchanged<StoredMember>(StoredMemberJson).Member;
        var written = Store.ToJson(snapshot with { Pools = [pool with { Members = [member, member with { Id = Guid.NewGuid() }] }] });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(written)), written);
    }

    private const string StoredMemberJson = """
        {"Id": "01a235b4-cd4d-7ff5-a54e-e5cd92d4694b", "PoolId": "01a235b4-cd23-7b10-91c6-5a3cff44ab6c", "Member": {"Id": "01a235b4-cd4d-7ff5-a54e-e5cd92d4694b", "Os": null, "Name": "", "Weight": 1, "Address": "127.0.0.1", "CreatedAt": "2026-12-02T07:42:51.2137738+00:00", "SlowStart": {"Phase": 0, "EndsAt": null, "StartedAt": null}, "UpdatedAt": "2026-12-02T07:42:51.2137738+00:00", "InstanceId": null, "MemberType": "ip", "ProtocolPort": 40957, "SubnetCidrId": null, "OperatingStatus": "OFFLINE", "AvailabilityZone": null, "HealthObservedAt": "2026-12-02T07:42:53.4344199+00:00"}, "Position": 3, "LoadBalancerId": "01a235b4-cd15-78eb-adf8-dbbc3313cbcf"}
        """;

    [Fact]
    public void A_stored_member_keeps_its_slow_start_phase_a_number()
    {
        var stored = ReadsAndWritesBackUnchanged<StoredMember>(StoredMemberJson);

        Assert.Equal((SlowStartPhase.None, MemberOperatingStatus.Offline, 3L), (stored.Member.SlowStart.Phase, stored.Member.OperatingStatus, stored.Position));
    }

    [Fact]
    public void An_inventory_server_keeps_its_lower_case_status()
    {
        var server = ReadsAndWritesBackUnchanged<Server>("""
            {"Id": "ecs-1", "Os": "Linux", "Key": "87f68dd6-c0dc-590c-ca8d-ddaecc941534", "Name": "s", "Status": "stopped", "Address": "10.0.0.200", "SubnetId": "subnet-1", "CreatedAt": "2026-12-02T07:42:54.900468+00:00", "ProjectId": "p-edb72d41d7394ae1a1f7721a39787f2b", "UpdatedAt": "2026-12-02T07:42:55.7508734+00:00", "AvailabilityZone": "az-1"}
            """);

        Assert.Equal(ServerStatus.Stopped, server.Status);
    }

    [Theory]
    [InlineData("\"SMTP\"")]
    [InlineData("4")]
    public void A_stored_value_no_case_names_fails_loudly_instead_of_reading_as_some_case(string protocol)
    {
        var stored = $$"""{"Name": "", "Protocol": {{protocol}}, "CreatedAt": "2026-12-02T07:45:26.8638304+00:00", "ProjectId": "p", "ListenerId": "01a235b7-2d4f-72ea-b3e0-683274912674", "Description": "", "ProtocolPort": 80, "DefaultPoolId": null, "LoadBalancerId": "01a235b7-2d22-720a-b4f4-da8cf7a4cd5b", "SniContainerRefs": [], "DefaultTlsContainerRef": null}""";

        Assert.ThrowsAny<JsonException>(() => Store.FromJson<ListenerCreated>(new MemoryStream(Encoding.UTF8.GetBytes(stored))));
    }
}
