using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elb.IntegrationTests.HealthChecks;

/// <summary>HTTP probes read the status line and headers, never the body.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ProbeBodyTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task A_member_answering_200_with_an_endless_body_is_healthy()
    {
        using var stop = new CancellationTokenSource();
        using var member = new TcpListener(IPAddress.Loopback, 0);
        member.Start();
        _ = ServeEndlessBodiesAsync(member, stop.Token);
        await using var node = await fixture.StartDataPlaneAsync($"body-{Guid.NewGuid():N}"[..20]);
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.PostAsync("elb/healthmonitors", $$$"""
            {"healthmonitor": {"pool_id": "{{{poolId}}}", "type": "HTTP", "delay": 1, "timeout": 1, "max_retries": 1, "url_path": "/"}}
            """);
        var memberId = await _api.AddMemberAsync(poolId, "127.0.0.1", ((IPEndPoint)member.LocalEndpoint).Port);

        await Eventually.Until(async () => (await _api.GetAsync($"elb/pools/{poolId}/members/{memberId}"))
                .GetProperty("member").GetProperty("operating_status").GetString() == "ONLINE",
            "the member is reported ONLINE", Within, TimeSpan.FromMilliseconds(100));
        await stop.CancelAsync();
    }

    /// <summary>Answers every request 200 with a body announced as 1 GB, sent slowly and never finished.</summary>
    private static async Task ServeEndlessBodiesAsync(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var connection = await listener.AcceptTcpClientAsync(stop);
                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        var stream = connection.GetStream();
                        _ = await stream.ReadAsync(new byte[4096], stop);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n"), stop);
                        var chunk = new byte[1024];
                        while (true)
                        {
                            await stream.WriteAsync(chunk, stop);
                            await Task.Delay(10, stop);
                        }
                    }
                }, stop).ContinueWith(t => t.Exception, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }
    }
}
