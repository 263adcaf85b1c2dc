namespace Elb.IntegrationTests;

/// <summary>
/// Every error code the API can answer, over HTTP, against one prepared project. Each refusal must leave the event
/// store exactly as it was.
/// </summary>
[Collection(GatewayCollection.Name)]
public class ErrorCodeTests(GatewayFixture fixture)
{
    private static World? _world;

    private sealed record World(ElbApi Api, Dictionary<string, string> Ids);

    /// <summary>
    /// lb: dedicated, IP as backend, HTTP listener on 80 whose default pool is "pool"; plainLb: dedicated without IP as
    /// backend; sharedLb: shared; udpLb: a UDP listener. Pools "pool" (member poolMember), "tcpPool", "ipPool" (type ip),
    /// "protectedPool" (deletion protection, member protectedMember), "monitoredPool" (health monitor "monitor"),
    /// "instancePool" on plainLb (a Linux server), "udpPool" on udpLb.
    /// </summary>
    private async Task<World> WorldAsync()
    {
        if (_world is not null) return _world;
        var api = new ElbApi(fixture.Gateway);
        await api.RegisterSubnetAsync();
        await api.RegisterSubnetAsync("subnet-small", "10.0.9.0/29");
        await api.RegisterSubnetAsync("subnet-other", "10.5.0.0/24", vpc: "vpc-2");
        await api.RegisterServerAsync("srv-linux", "10.0.0.10");
        await api.RegisterServerAsync("srv-windows", "10.0.0.12", os: "Windows");
        await api.RegisterServerAsync("srv-other", "10.5.0.10", subnet: "subnet-other");
        await api.RegisterServerAsync("srv-stopped", "10.0.0.13", status: "stopped");

        var ids = new Dictionary<string, string>();
        var lb = await api.CreateLoadBalancerAsync("lb");
        var plainLb = await api.CreateLoadBalancerAsync("plain", ipAsBackend: false, subnet: "subnet-small");
        ids["sharedLb"] = (await api.CreateLoadBalancerAsync("shared", ipAsBackend: false, guaranteed: false)).ToString();
        var udpLb = await api.CreateLoadBalancerAsync("udp", ipAsBackend: false);
        await api.PostAsync("elb/listeners", $$$"""{"listener": {"loadbalancer_id": "{{{udpLb}}}", "protocol": "UDP", "protocol_port": 53}}""");
        ids["udpPool"] = (await api.CreatePoolAsync(udpLb, "UDP")).ToString();

        var pool = await api.CreatePoolAsync(lb);
        ids["poolMember"] = (await api.AddMemberAsync(pool, "10.0.0.50")).ToString();
        ids["listener"] = ElbApi.Id(await api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{lb}}}", "protocol": "HTTP", "protocol_port": 80, "default_pool_id": "{{{pool}}}"}}"""), "listener").ToString();
        ids["tcpPool"] = (await api.CreatePoolAsync(lb, "TCP")).ToString();
        ids["ipPool"] = (await api.CreatePoolAsync(lb, extra: ", \"type\": \"ip\"")).ToString();
        var protectedPool = await api.CreatePoolAsync(lb, extra: ", \"member_deletion_protection_enable\": true");
        ids["protectedPool"] = protectedPool.ToString();
        ids["protectedMember"] = (await api.AddMemberAsync(protectedPool, "10.0.0.51")).ToString();
        var monitoredPool = await api.CreatePoolAsync(lb);
        ids["monitoredPool"] = monitoredPool.ToString();
        ids["monitor"] = ElbApi.Id(await api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{monitoredPool}}}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}"""), "healthmonitor").ToString();
        var instancePool = await api.CreatePoolAsync(plainLb);
        ids["instancePool"] = instancePool.ToString();
        await api.AddInstanceMemberAsync(instancePool, "srv-linux");
        var plainPool = await api.CreatePoolAsync(plainLb);
        ids["plainPool"] = plainPool.ToString();
        ids["plainListener"] = ElbApi.Id(await api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{plainLb}}}", "protocol": "HTTP", "protocol_port": 80}}"""), "listener").ToString();

        (ids["lb"], ids["plainLb"], ids["udpLb"], ids["pool"]) = (lb.ToString(), plainLb.ToString(), udpLb.ToString(), pool.ToString());
        ids["random"] = Guid.NewGuid().ToString();
        return _world = new World(api, ids);
    }

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        // load balancers
        { "POST", "elb/loadbalancers", """{"loadbalancer": {"vpc_id": "vpc-1", "availability_zone_list": []}}""", 400, "ELB.AvailabilityZoneRequired" },
        { "POST", "elb/loadbalancers", """{"loadbalancer": {"vpc_id": "vpc-1", "vip_subnet_cidr_id": "nope", "availability_zone_list": ["az-1"]}}""", 404, "ELB.SubnetNotFound" },
        { "POST", "elb/loadbalancers", """{"loadbalancer": {"vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-other", "availability_zone_list": ["az-1"]}}""", 409, "ELB.SubnetNotInVpc" },
        { "POST", "elb/loadbalancers", """{"loadbalancer": {"vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-1", "availability_zone_list": ["az-1"], "guaranteed": false, "ip_target_enable": true}}""", 409, "ELB.IpAsBackendNeedsDedicated" },
        { "POST", "elb/loadbalancers", """{"loadbalancer": {"vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-small", "availability_zone_list": ["az-1"], "ip_target_enable": true}}""", 409, "ELB.IpAsBackendSubnetTooSmall" },
        { "PUT", "elb/loadbalancers/{udpLb}", """{"loadbalancer": {"ip_target_enable": true}}""", 409, "ELB.IpAsBackendListenerProtocol" },
        { "PUT", "elb/loadbalancers/{lb}", """{"loadbalancer": {"ip_target_enable": false}}""", 409, "ELB.IpAsBackendCannotBeDisabled" },
        { "DELETE", "elb/loadbalancers/{lb}", "", 409, "ELB.LoadBalancerInUse" },
        { "GET", "elb/loadbalancers/{random}", "", 404, "ELB.LoadBalancerNotFound" },
        { "GET", "elb/loadbalancers/{random}/statuses", "", 404, "ELB.LoadBalancerNotFound" },
        // inventory
        { "POST", "inventory/subnets", """{"subnet": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}""", 409, "ELB.SubnetAlreadyRegistered" },
        { "POST", "inventory/subnets", """{"subnet": {"id": "s-bad", "vpc_id": "vpc-1", "cidr": "10.0.0.0/33", "availability_zone": "az-1"}}""", 400, "ELB.InvalidCidr" },
        { "PUT", "inventory/subnets/nope", """{"subnet": {"vpc_id": "vpc-1", "cidr": "10.0.0.0/24", "availability_zone": "az-1"}}""", 404, "ELB.SubnetNotFound" },
        { "POST", "inventory/servers", """{"server": {"id": "srv-linux", "subnet_id": "subnet-1", "address": "10.0.0.10", "os": "Linux"}}""", 409, "ELB.ServerAlreadyRegistered" },
        { "POST", "inventory/servers", """{"server": {"id": "srv-x", "subnet_id": "subnet-1", "address": "ten", "os": "Linux"}}""", 400, "ELB.InvalidServerAddress" },
        { "POST", "inventory/servers", """{"server": {"id": "srv-x", "subnet_id": "subnet-1", "address": "10.9.9.9", "os": "Linux"}}""", 400, "ELB.AddressNotInSubnet" },
        { "POST", "inventory/servers", """{"server": {"id": "srv-x", "subnet_id": "subnet-1", "address": "10.0.0.99", "os": "Linux", "status": "paused"}}""", 400, "ELB.InvalidServerStatus" },
        { "POST", "inventory/servers/srv-stopped/action", """{"action": "restart"}""", 409, "ELB.ServerStopped" },
        { "POST", "inventory/servers/srv-linux/action", """{"action": "explode"}""", 400, "ELB.UnsupportedServerAction" },
        { "POST", "inventory/servers/srv-linux/action", """{"action": "STOP"}""", 400, "ELB.UnsupportedServerAction" },
        { "POST", "inventory/servers", """{"server": {"id": "srv-x", "subnet_id": "subnet-1", "address": "10.0.0.99", "os": "Linux", "status": "RUNNING"}}""", 400, "ELB.InvalidServerStatus" },
        { "GET", "inventory/servers/nope", "", 404, "ELB.ServerNotFound" },
        // listeners
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "UDP", "protocol_port": 53}}""", 409, "ELB.IpAsBackendListenerProtocol" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "SMTP", "protocol_port": 25}}""", 400, "ELB.UnsupportedProtocol" },
        // the vocabulary is matched exactly, as ELB spells it; a number is not a name (nor a string the body binds)
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "http", "protocol_port": 83}}""", 400, "ELB.UnsupportedProtocol" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": 2, "protocol_port": 83}}""", 400, "ELB.MalformedRequest" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 70000}}""", 400, "ELB.InvalidProtocolPort" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "TCP", "protocol_port": 80}}""", 409, "ELB.ListenerPortInUse" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 81, "default_pool_id": "{tcpPool}"}}""", 409, "ELB.ListenerPoolProtocolMismatch" },
        { "POST", "elb/listeners", """{"listener": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "protocol_port": 82, "default_pool_id": "{plainPool}"}}""", 409, "ELB.PoolNotInLoadBalancer" },
        { "GET", "elb/listeners/{random}", "", 404, "ELB.ListenerNotFound" },
        { "DELETE", "elb/listeners/{listener}", "", 409, "ELB.ListenerInUse" },
        // pools
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "listener_id": "{plainListener}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}""", 409, "ELB.ListenerNotInLoadBalancer" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "RANDOM"}}""", 400, "ELB.UnsupportedAlgorithm" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "round_robin"}}""", 400, "ELB.UnsupportedAlgorithm" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "Https", "lb_algorithm": "ROUND_ROBIN"}}""", 400, "ELB.UnsupportedProtocol" },
        { "PUT", "elb/pools/{tcpPool}", """{"pool": {"lb_algorithm": "RANDOM"}}""", 400, "ELB.UnsupportedAlgorithm" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "type": "vm"}}""", 400, "ELB.UnsupportedPoolType" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{random}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN"}}""", 404, "ELB.LoadBalancerNotFound" },
        { "DELETE", "elb/pools/{pool}", "", 409, "ELB.PoolInUse" },
        { "GET", "elb/pools/{random}", "", 404, "ELB.PoolNotFound" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "slow_start": {"enable": true}}}""", 409, "ELB.SlowStartNeedsHttpPool" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "LEAST_CONNECTIONS", "slow_start": {"enable": true}}}""", 409, "ELB.SlowStartNeedsRoundRobin" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{sharedLb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "slow_start": {"enable": true}}}""", 409, "ELB.SlowStartNeedsDedicated" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "slow_start": {"enable": true, "duration": 10}}}""", 400, "ELB.InvalidSlowStartDuration" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "MAGIC"}}}""", 400, "ELB.UnsupportedStickySession" },
        { "PUT", "elb/pools/{pool}", """{"pool": {"session_persistence": {"type": "http_cookie"}}}""", 400, "ELB.UnsupportedStickySession" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "HTTP_COOKIE"}}}""", 409, "ELB.StickySessionProtocolMismatch" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "HTTP_COOKIE", "cookie_name": "c"}}}""", 400, "ELB.CookieNameNotAllowed" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "APP_COOKIE", "cookie_name": "bad name"}}}""", 400, "ELB.InvalidCookieName" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "TCP", "lb_algorithm": "ROUND_ROBIN", "session_persistence": {"type": "SOURCE_IP", "persistence_timeout": 90}}}""", 400, "ELB.InvalidPersistenceTimeout" },
        { "PUT", "elb/pools/{pool}", """{"pool": {"slow_start": {"enable": true}, "lb_algorithm": "SOURCE_IP"}}""", 409, "ELB.SlowStartNeedsRoundRobin" },
        { "POST", "elb/pools", """{"pool": {"loadbalancer_id": "{lb}", "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN", "connection_drain": {"enable": true, "timeout": 60}}}""", 409, "ELB.ConnectionDrainNeedsTcpOrUdpPool" },
        { "PUT", "elb/pools/{tcpPool}", """{"pool": {"connection_drain": {"enable": true, "timeout": 5}}}""", 400, "ELB.InvalidConnectionDrainTimeout" },
        // members
        { "GET", "elb/pools/{pool}/members/{random}", "", 404, "ELB.MemberNotFound" },
        { "POST", "elb/pools/{random}/members", """{"member": {"address": "10.0.0.60", "protocol_port": 80}}""", 404, "ELB.PoolNotFound" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"address": "10.0.0.50", "protocol_port": 80}}""", 409, "ELB.DuplicateMember" },
        { "POST", "elb/pools/{ipPool}/members", """{"member": {"instance_id": "srv-linux", "protocol_port": 80}}""", 409, "ELB.PoolTypeMismatch" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"instance_id": "srv-linux", "address": "10.0.0.99", "protocol_port": 80}}""", 400, "ELB.MemberAddressMismatch" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"instance_id": "srv-other", "protocol_port": 80}}""", 409, "ELB.MemberNotInVpc" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"instance_id": "ghost", "protocol_port": 80}}""", 404, "ELB.ServerNotFound" },
        { "POST", "elb/pools/{instancePool}/members", """{"member": {"instance_id": "srv-windows", "protocol_port": 80}}""", 409, "ELB.MemberOsMismatch" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"address": "fd00::1", "protocol_port": 80}}""", 400, "ELB.IpMemberMustBeIpv4" },
        { "POST", "elb/pools/{instancePool}/members", """{"member": {"address": "10.0.0.70", "protocol_port": 80}}""", 409, "ELB.IpAsBackendDisabled" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"address": "10.0.0.71", "protocol_port": 80, "weight": 101}}""", 400, "ELB.InvalidWeight" },
        { "POST", "elb/pools/{pool}/members", """{"member": {"address": "10.0.0.71", "protocol_port": 0}}""", 400, "ELB.InvalidProtocolPort" },
        { "PUT", "elb/pools/{pool}/members/{poolMember}", """{"member": {"weight": -1}}""", 400, "ELB.InvalidWeight" },
        { "DELETE", "elb/pools/{protectedPool}/members/{protectedMember}", "", 409, "ELB.MemberDeletionProtected" },
        { "POST", "elb/pools/{pool}/members/batch-add", "BATCH:201", 400, "ELB.BatchTooLarge" },
        // health monitors and reports
        { "GET", "elb/healthmonitors/{random}", "", 404, "ELB.HealthMonitorNotFound" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{monitoredPool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}""", 409, "ELB.PoolHasHealthMonitor" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "PING", "delay": 5, "timeout": 3, "max_retries": 2}}""", 400, "ELB.UnsupportedHealthMonitorType" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "tcp", "delay": 5, "timeout": 3, "max_retries": 2}}""", 400, "ELB.UnsupportedHealthMonitorType" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{udpPool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2}}""", 409, "ELB.HealthMonitorTypeMismatch" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 60, "timeout": 3, "max_retries": 2}}""", 400, "ELB.HealthMonitorOutOfRange" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 10, "max_retries": 2}}""", 400, "ELB.HealthMonitorTimeoutExceedsDelay" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "url_path": "health"}}""", 400, "ELB.InvalidUrlPath" },
        { "POST", "elb/healthmonitors", """{"healthmonitor": {"pool_id": "{pool}", "type": "HTTP", "delay": 5, "timeout": 3, "max_retries": 2, "expected_codes": "abc"}}""", 400, "ELB.InvalidExpectedCodes" },
        { "PUT", "elb/healthmonitors/{monitor}", """{"healthmonitor": {"type": "TCP"}}""", 400, "ELB.HealthMonitorTypeImmutable" },
        { "POST", "elb/pools/{pool}/members/{poolMember}/health-reports", """{"health_report": {"healthy": true, "node_id": "n1"}}""", 409, "ELB.HealthMonitorNotEnabled" },
        { "POST", "elb/pools/{pool}/members/{poolMember}/health-reports", """{"health_report": {"healthy": true, "node_id": "n1", "observed_at": "2099-01-01T00:00:00Z"}}""", 400, "ELB.HealthReportFromTheFuture" },
        // anything else
        { "GET", "elb/nothing-here", "", 404, "ELB.NotFound" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_refusal_is_a_problem_with_its_error_code_and_records_nothing(string method, string path,
        string body, int status, string errorCode)
    {
        var world = await WorldAsync();
        var eventsBefore = await fixture.CountEventsAsync();

        var caller = path.EndsWith("/health-reports") ? ElbApi.Node(fixture.Gateway, world.Api.Project) : world.Api;
        var problem = await caller.SendAsync(HttpMethod.Parse(method), Fill(path, world), Body(body, world), status);

        Assert.Equal(errorCode, problem.GetProperty("error_code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(eventsBefore, await fixture.CountEventsAsync());
    }

    private static string Fill(string text, World world) =>
        world.Ids.Aggregate(text, (current, id) => current.Replace($"{{{id.Key}}}", id.Value));

    private static string? Body(string body, World world) => body switch
    {
        "" => null,
        _ when body.StartsWith("BATCH:") => $$"""{"members": [{{string.Join(", ", Enumerable.Range(1, int.Parse(body[6..]))
            .Select(i => $$"""{"address": "10.3.{{i / 250}}.{{i % 250 + 1}}", "protocol_port": 80}"""))}}]}""",
        _ => Fill(body, world),
    };
}
