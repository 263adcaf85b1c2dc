using System.Net;
using System.Net.Sockets;

namespace Elb.IntegrationTests;

/// <summary>Real requests through a node's HTTP listener to backends on loopback.</summary>
[Collection(GatewayCollection.Name)]
public class TrafficTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    private async Task<(Guid PoolId, Uri Listener, Guid[] Members)> LoadBalancerAsync(DataPlaneNode node, Backends backends,
        int[] weights, string poolExtra = "", string protocol = "HTTP", bool onServer = false)
    {
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends.Ports, weights, poolExtra, protocol, onServer);
        using var client = new HttpClient();
        (await ServesAsync(client, listener)).Dispose();
        return (poolId, listener, members);
    }

    /// <summary>
    /// The first successful response from the listener (headers read, body left to the caller); a listener opens a
    /// moment after the node converges. Times out with the last failure seen.
    /// </summary>
    private static async Task<HttpResponseMessage> ServesAsync(HttpClient client, Uri url)
    {
        var deadline = DateTime.UtcNow + Within;
        while (true)
        {
            string failure;
            try
            {
                var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                if (response.IsSuccessStatusCode) return response;
                failure = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                response.Dispose();
            }
            catch (HttpRequestException e)
            {
                failure = e.Message;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} does not serve: {failure}");
            await Task.Delay(50);
        }
    }

    /// <param name="onServer">
    /// Members are ports of a registered server (on 127.0.0.1) rather than IP addresses; UDP pools always are, as the
    /// guide allows no UDP listener where IP as a backend is on.
    /// </param>
    private async Task<(Guid PoolId, Uri Listener, Guid[] Members)> LoadBalancerAsync(DataPlaneNode node, IReadOnlyList<int> ports,
        int[] weights, string poolExtra, string protocol, bool onServer)
    {
        var udp = protocol == "UDP";
        onServer |= udp;
        Guid loadBalancerId;
        if (onServer)
        {
            await _api.RegisterSubnetAsync();
            await _api.RegisterSubnetAsync("subnet-loopback", "127.0.0.0/8");
            await _api.RegisterServerAsync("ecs-local", "127.0.0.1", subnet: "subnet-loopback");
            loadBalancerId = await _api.CreateLoadBalancerAsync(ipAsBackend: false);
        }
        else
        {
            loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        }
        var poolId = await _api.CreatePoolAsync(loadBalancerId, protocol, extra: poolExtra);
        var members = new Guid[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            members[i] = onServer
                ? await _api.AddInstanceMemberAsync(poolId, "ecs-local", ports[i], weights[i])
                : await _api.AddMemberAsync(poolId, "127.0.0.1", ports[i], weights[i]);
        }
        var port = Backends.FreePort();
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "{{{protocol}}}", "protocol_port": {{{port}}}, "default_pool_id": "{{{poolId}}}"}}""");
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        // TCP listeners are tried with HTTP backends, so their clients speak HTTP too
        return (poolId, new Uri($"{(udp ? "udp" : "http")}://{node.AddressOf(await _api.VipOfAsync(loadBalancerId))}:{port}/"), members);
    }

    [Theory]
    [InlineData("")]
    [InlineData(""", "session_persistence": {"type": "HTTP_COOKIE"}""")]
    [InlineData(""", "session_persistence": {"type": "APP_COOKIE", "cookie_name": "JSESSIONID"}""")]
    public async Task A_backend_sees_the_true_forwarded_headers_whatever_the_client_forged(string stickiness)
    {
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (_, listener, _) = await LoadBalancerAsync(node, backends, [1], stickiness);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(listener, "/forwarded"));
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "bank.example");

        using var response = await client.SendAsync(request);

        Assert.Equal($"127.0.0.1|http|{listener.Authority}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_affinity_cookie_is_http_only_and_same_site()
    {
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (_, listener, _) = await LoadBalancerAsync(node, backends, [1], """, "session_persistence": {"type": "HTTP_COOKIE"}""");
        using var client = new HttpClient();

        using var response = await client.GetAsync(listener);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ELB_AFFINITY="));
        Assert.Contains("; HttpOnly", cookie);
        Assert.Contains("; SameSite=Lax", cookie);
        Assert.DoesNotContain("Secure", cookie);
    }

    [Fact]
    public async Task Ten_thousand_requests_over_members_weighted_1_2_5_land_within_2_percent_of_their_shares()
    {
        await using var backends = await Backends.StartAsync(3);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (_, listener, members) = await LoadBalancerAsync(node, backends, [1, 2, 5]);
        using var client = new HttpClient();

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 10_000; i++)
        {
            var name = await client.GetStringAsync(listener);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.InRange(counts["backend-0"] / 10_000.0, 0.105, 0.145);
        Assert.InRange(counts["backend-1"] / 10_000.0, 0.23, 0.27);
        Assert.InRange(counts["backend-2"] / 10_000.0, 0.605, 0.645);
        var metrics = await node.Admin().GetStringAsync("/metrics");
        var handled = members.Select(m => (long)PrometheusText.Samples(metrics, "elb_member_requests_total", ("member_id", m.ToString())).Single()).ToArray();
        // the node counted every request per member: these 10,000 and the one that saw the listener ready
        Assert.Equal(10_001, handled.Sum());
        Assert.All(Enumerable.Range(0, 3), i => Assert.InRange(handled[i] - counts[$"backend-{i}"], 0, 1));
    }

    [Fact]
    public async Task A_member_added_to_a_slow_start_pool_gets_a_share_growing_linearly_then_its_full_share()
    {
        await using var backends = await Backends.StartAsync(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, _) = await LoadBalancerAsync(node, backends, [4], """, "slow_start": {"enable": true, "duration": 30}""");
        var added = (await _api.PostAsync($"elb/pools/{poolId}/members",
            $$$"""{"member": {"address": "127.0.0.1", "protocol_port": {{{backends.Ports[1]}}}, "weight": 4}}""")).GetProperty("member");
        var startedAt = added.GetProperty("slow_start").GetProperty("started_at").GetDateTimeOffset();
        using var client = new HttpClient();

        // effective weight 4 x max(10 %, elapsed / window) against 4: a share of f / (1 + f)
        foreach (var (fraction, share) in new[] { (0.25, 0.2), (0.5, 1 / 3.0), (0.75, 0.75 / 1.75), (1.05, 0.5) })
        {
            var at = startedAt + TimeSpan.FromSeconds(30 * fraction);
            if (at > DateTimeOffset.UtcNow) await Task.Delay(at - DateTimeOffset.UtcNow);
            var answers = new List<string>();
            for (var i = 0; i < 300; i++) answers.Add(await client.GetStringAsync(listener));

            Assert.InRange(answers.Count(a => a == "backend-1") / 300.0, share - 0.06, share + 0.06);
        }
    }

    [Fact]
    public async Task An_https_listener_terminates_tls_with_the_configured_certificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=elb-test-listener", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.GetTempFileName();
        await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "secret"));
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}", builder => builder
            .UseSetting("DataPlane:Certificate:Path", pfx).UseSetting("DataPlane:Certificate:Password", "secret"));
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId, extra: """, "session_persistence": {"type": "HTTP_COOKIE"}""");
        await _api.AddMemberAsync(poolId, "127.0.0.1", backends.Ports[0]);
        var port = Backends.FreePort();
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTPS", "protocol_port": {{{port}}}, "default_pool_id": "{{{poolId}}}"}}""");
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        var address = node.AddressOf(await _api.VipOfAsync(loadBalancerId));
        string? presented = null;
        using var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert?.Thumbprint;
                return true;
            },
        });

        string? answer = null;
        string? affinityCookie = null;
        await UntilAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync($"https://{address}:{port}/");
                answer = await response.Content.ReadAsStringAsync();
                affinityCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ELB_AFFINITY="));
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the HTTPS listener serves");

        Assert.Equal("backend-0", answer);
        Assert.Equal(certificate.Thumbprint, presented);
        Assert.EndsWith("; HttpOnly; SameSite=Lax; Secure", affinityCookie);
        File.Delete(pfx);
    }

    [Fact]
    public async Task A_tcp_listener_proxies_each_connection_to_a_member_by_weight()
    {
        await using var backends = await Backends.StartAsync(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (_, listener, _) = await LoadBalancerAsync(node, backends, [1, 3], protocol: "TCP");
        using var client = new HttpClient();

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 40; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, listener) { Headers = { ConnectionClose = true } };
            var name = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.Equal(10, counts["backend-0"]);
        Assert.Equal(30, counts["backend-1"]);
    }

    [Fact]
    public async Task A_cookie_sticky_client_stays_on_its_member_and_moves_when_the_member_is_removed()
    {
        await using var backends = await Backends.StartAsync(3);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends, [1, 1, 1],
            """, "session_persistence": {"type": "HTTP_COOKIE"}""");
        using var sticky = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });

        var first = await sticky.GetStringAsync(listener);
        for (var i = 0; i < 20; i++) Assert.Equal(first, await sticky.GetStringAsync(listener));

        var index = int.Parse(first["backend-".Length..]);
        await _api.DeleteAsync($"elb/pools/{poolId}/members/{members[index]}");
        var deadline = DateTime.UtcNow + Within;
        string moved;
        do moved = await WithRetry(() => sticky.GetStringAsync(listener));
        while (moved == first && DateTime.UtcNow < deadline);

        Assert.NotEqual(first, moved);
        for (var i = 0; i < 10; i++) Assert.Equal(moved, await sticky.GetStringAsync(listener));
    }

    [Fact]
    public async Task A_backend_failing_its_health_check_stops_getting_requests_in_time_and_comes_back_after_it_recovers()
    {
        await using var backends = await Backends.StartAsync(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends, [1, 1]);
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "max_retries_down": 2, "url_path": "/healthz"}}""");
        using var client = new HttpClient();
        await UntilAsync(async () => (await Answers(client, listener, 10)).Contains("backend-1"), "both backends serve");

        backends.Healthy[1] = false;
        var failed = DateTime.UtcNow;
        await UntilAsync(async () => !(await Answers(client, listener, 20)).Contains("backend-1"), "the failing backend leaves");
        var stoppedAfter = DateTime.UtcNow - failed;

        // delay x max_retries_down + timeout = 3 s, and a little for scheduling
        Assert.True(stoppedAfter <= TimeSpan.FromSeconds(3.5), $"took {stoppedAfter}");
        backends.Healthy[1] = true;
        await UntilAsync(async () => (await Answers(client, listener, 10)).Contains("backend-1"), "the recovered backend returns");
        // the node reported both transitions over RabbitMQ and the control plane recorded them
        var loadBalancerId = (await _api.GetAsync($"elb/pools/{poolId}")).GetProperty("pool").GetProperty("loadbalancer_id").GetGuid();
        await UntilAsync(async () => (await _api.GetAsync($"elb/loadbalancers/{loadBalancerId}/history?type=MemberHealthChanged"))
            .GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("data").GetProperty("member_id").GetGuid() == members[1])
            .Select(e => (e.GetProperty("data").GetProperty("operating_status").GetString(), e.GetProperty("data").GetProperty("node_id").GetString()))
            .SequenceEqual([("OFFLINE", node.NodeId), ("ONLINE", node.NodeId)]), "both transitions recorded");
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("weight 0")]
    [InlineData("server restart")]
    public async Task A_member_removed_set_to_weight_0_or_whose_server_restarts_loses_its_open_connections(string change)
    {
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends, [1], onServer: true);
        var member = members[0];
        using var client = new HttpClient();
        using var open = await ServesAsync(client, new Uri(listener, "/slow"));
        var body = await open.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        Assert.True(await body.ReadAsync(buffer) > 0);

        switch (change)
        {
            case "remove":
                await _api.DeleteAsync($"elb/pools/{poolId}/members/{member}");
                break;
            case "weight 0":
                await _api.PutAsync($"elb/pools/{poolId}/members/{member}", """{"member": {"weight": 0}}""");
                break;
            default:
                await _api.PostAsync("inventory/servers/ecs-local/action", """{"action": "restart"}""", 200);
                break;
        }

        // Both sides of the proxied connection go: the backend sees its request aborted, the client its stream end.
        await UntilAsync(() => Task.FromResult(backends.SlowRequestCut[0]), "the backend connection is cut");
        var read = body.ReadAsync(buffer).AsTask();
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            if (await read == 0) throw new IOException("closed");
        });
    }

    /// <summary>A request cut because its member's connections dropped is retried, as the guide tells clients to.</summary>
    private static async Task<string> WithRetry(Func<Task<string>> request)
    {
        try
        {
            return await request();
        }
        catch (HttpRequestException)
        {
            return await request();
        }
    }

    [Theory]
    [InlineData("removed")]
    [InlineData("unhealthy")]
    public async Task A_pool_with_connection_draining_keeps_a_leaving_members_connections_for_its_timeout(string leaving)
    {
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends, [1],
            """, "connection_drain": {"enable": true, "timeout": 10}""", protocol: "TCP");
        if (leaving == "unhealthy")
        {
            await _api.PostAsync("elb/healthmonitors",
                $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "max_retries_down": 1, "url_path": "/healthz"}}""");
            await UntilAsync(async () => await StatusOf(poolId, members[0]) == "ONLINE", "the member is seen healthy");
        }
        using var client = new HttpClient();
        using var open = await client.GetAsync(new Uri(listener, "/slow"), HttpCompletionOption.ResponseHeadersRead);
        var body = await open.Content.ReadAsStreamAsync();
        Assert.True(await body.ReadAsync(new byte[64]) > 0);

        if (leaving == "removed")
        {
            await _api.DeleteAsync($"elb/pools/{poolId}/members/{members[0]}");
        }
        else
        {
            backends.Healthy[0] = false;
            await UntilAsync(async () => await StatusOf(poolId, members[0]) == "OFFLINE", "the control plane records the member unhealthy");
        }
        var left = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.False(backends.SlowRequestCut[0], "cut before the drain timeout");

        await UntilAsync(() => Task.FromResult(backends.SlowRequestCut[0]), "the connection is cut after draining");
        Assert.InRange((DateTime.UtcNow - left).TotalSeconds, 8, 20);
    }

    private async Task<string?> StatusOf(Guid poolId, Guid member) =>
        (await _api.GetAsync($"elb/pools/{poolId}/members/{member}")).GetProperty("member").GetProperty("operating_status").GetString();

    [Fact]
    public async Task A_udp_listener_sends_each_client_to_a_member_by_weight_and_keeps_it_there()
    {
        await using var backends = UdpBackends.Start(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (_, listener, _) = await UdpLoadBalancerAsync(node, backends, [1, 3]);

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 40; i++)
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var first = await ExchangeAsync(client, listener) ?? throw new TimeoutException("no reply");
            for (var datagram = 0; datagram < 3; datagram++) Assert.Equal(first, await ExchangeAsync(client, listener));
            counts[first] = counts.GetValueOrDefault(first) + 1;
        }

        Assert.Equal(10, counts["backend-0"]);
        Assert.Equal(30, counts["backend-1"]);
    }

    [Fact]
    public async Task A_udp_clients_session_moves_when_its_member_is_removed()
    {
        await using var backends = UdpBackends.Start(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await UdpLoadBalancerAsync(node, backends, [1, 1]);
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var first = await ExchangeAsync(client, listener) ?? throw new TimeoutException("no reply");

        await _api.DeleteAsync($"elb/pools/{poolId}/members/{members[int.Parse(first["backend-".Length..])]}");

        await UntilAsync(async () => await ExchangeAsync(client, listener) is { } other && other != first,
            "the session moves to the other member");
    }

    [Fact]
    public async Task A_udp_member_whose_port_is_closed_fails_its_udp_connect_check_and_gets_no_new_sessions()
    {
        await using var backends = UdpBackends.Start(2);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await UdpLoadBalancerAsync(node, backends, [1, 1]);
        await _api.PostAsync("elb/healthmonitors",
            $$$"""{"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "UDP_CONNECT", "delay": 1, "timeout": 1, "max_retries": 1, "max_retries_down": 2}}""");
        await UntilAsync(async () => await StatusOf(poolId, members[0]) == "ONLINE" && await StatusOf(poolId, members[1]) == "ONLINE",
            "both members answer their checks");

        backends.Stop(1);

        await UntilAsync(async () => await StatusOf(poolId, members[1]) == "OFFLINE", "the closed member goes OFFLINE");
        Assert.Equal("ONLINE", await StatusOf(poolId, members[0]));
        for (var i = 0; i < 10; i++)
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Assert.Equal("backend-0", await ExchangeAsync(client, listener));
        }
    }

    private async Task<(Guid PoolId, IPEndPoint Listener, Guid[] Members)> UdpLoadBalancerAsync(DataPlaneNode node,
        UdpBackends backends, int[] weights)
    {
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends.Ports, weights, "", "UDP", onServer: true);
        var endpoint = new IPEndPoint(IPAddress.Parse(listener.Host), listener.Port);
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await UntilAsync(async () => await ExchangeAsync(probe, endpoint) is not null, "the listener serves");
        return (poolId, endpoint, members);
    }

    /// <summary>One datagram to the listener and the reply relayed back, or null when none comes within a second.</summary>
    private static async Task<string?> ExchangeAsync(UdpClient client, IPEndPoint listener)
    {
        await client.SendAsync("hello"u8.ToArray(), listener);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            var reply = await client.ReceiveAsync(timeout.Token);
            Assert.Equal(listener, reply.RemoteEndPoint);
            return System.Text.Encoding.UTF8.GetString(reply.Buffer);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return null;
        }
    }

    private static async Task<HashSet<string>> Answers(HttpClient client, Uri listener, int requests)
    {
        var answers = new HashSet<string>();
        for (var i = 0; i < requests; i++) answers.Add(await client.GetStringAsync(listener));
        return answers;
    }

    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.Until(condition, what, Within, TimeSpan.FromMilliseconds(50));

    [Fact]
    public async Task With_no_member_that_can_take_requests_the_listener_answers_503()
    {
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"test-{Guid.NewGuid():N}");
        var (poolId, listener, members) = await LoadBalancerAsync(node, backends, [3]);

        await _api.PutAsync($"elb/pools/{poolId}/members/{members[0]}", """{"member": {"weight": 0}}""");
        using var client = new HttpClient();
        HttpStatusCode? status = null;
        // a request in flight when the weight drops is cut with the member's connections: ask again
        await UntilAsync(async () =>
        {
            try
            {
                status = (await client.GetAsync(listener)).StatusCode;
                return status != HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the listener stops serving");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }
}
