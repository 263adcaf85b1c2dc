using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Elb.Commands.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Elb.IntegrationTests.Limits;

/// <summary>
/// PostgreSQL going away (bench/faults.sh restarts it under load): requests are answered 503 ELB.StoreUnavailable
/// with Retry-After, not 500, and the same gateway serves them again once the store is back, without a restart.
/// The outage is a TCP gate between one gateway and the shared PostgreSQL, so nobody else's connections are touched.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StoreOutageTests(GatewayFixture fixture)
{
    [Fact]
    public async Task While_the_store_is_unreachable_commands_answer_503_store_unavailable_and_succeed_on_retry_after()
    {
        var api = new ElbApi(fixture.Gateway);
        var poolId = await api.CreatePoolAsync(await api.CreateLoadBalancerWithSubnetAsync());
        var postgres = new NpgsqlConnectionStringBuilder(fixture.Services.Postgres);
        await using var gate = new TcpGate(postgres.Host!, postgres.Port);
        gate.Open();
        var gated = new NpgsqlConnectionStringBuilder(fixture.Services.Postgres) { Host = "127.0.0.1", Port = gate.Port, Timeout = 3 };
        await using var gateway = await fixture.StartGatewayAsync(builder => builder.UseSetting("ELB_POSTGRES", gated.ConnectionString));
        using var client = TestIdentity.SignedClient(gateway, api.User!.AccessKey, api.User.SecretKey);
        async Task<(HttpStatusCode Status, string? Code, HttpResponseMessage Response)> AddMember(string address)
        {
            var response = await client.PostAsync($"/v3/{api.Project}/elb/pools/{poolId}/members", new StringContent(
                $$$"""{"member": {"address": "{{{address}}}", "protocol_port": 80}}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, body.Length > 0 && body[0] == '{'
                ? JsonDocument.Parse(body).RootElement.TryGetProperty("error_code", out var code) ? code.GetString() : null
                : null, response);
        }
        Assert.Equal(HttpStatusCode.Created, (await AddMember("10.0.0.70")).Status);
        var before = await fixture.CountEventsAsync();

        gate.Close();
        for (var i = 0; i < 3; i++)
        {
            var (status, code, response) = await AddMember("10.0.0.71");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "ELB.StoreUnavailable"), (status, code));
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        Assert.Equal(before, await fixture.CountEventsAsync());

        gate.Open();
        // pooled connections the gate reset fail once each, as 503 too; then the same gateway serves the command
        await Eventually.Until(async () =>
        {
            var (status, code, _) = await AddMember("10.0.0.71");
            Assert.True(status == HttpStatusCode.Created || (status, code) == (HttpStatusCode.ServiceUnavailable, "ELB.StoreUnavailable"),
                $"{(int)status} {code}");
            return status == HttpStatusCode.Created;
        }, "the member added once the store is back", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        var members = await api.GetAsync($"elb/members?address=10.0.0.71");
        Assert.Equal(1, members.GetProperty("members").GetArrayLength());
    }

    [Fact]
    public async Task The_postgresql_health_check_answers_healthy_at_once_when_the_store_is_back()
    {
        var postgres = new NpgsqlConnectionStringBuilder(fixture.Services.Postgres);
        await using var gate = new TcpGate(postgres.Host!, postgres.Port);
        gate.Open();
        var check = new PostgresHealthCheck(new NpgsqlConnectionStringBuilder(fixture.Services.Postgres)
            { Host = "127.0.0.1", Port = gate.Port, Timeout = 3 }.ConnectionString);
        var context = new HealthCheckContext();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, CancellationToken.None)).Status);

        gate.Close();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context, CancellationToken.None)).Status);
        gate.Open();
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, CancellationToken.None)).Status);
    }

    /// <summary>Forwards a local port to PostgreSQL; Close refuses new connections and resets the open ones.</summary>
    private sealed class TcpGate(string host, int port) : IAsyncDisposable
    {
        private TcpListener? _listener;
        private readonly List<TcpClient> _open = [];
        public int Port { get; private set; }

        public void Open()
        {
            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            var listener = _listener;
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient inbound;
                    try { inbound = await listener.AcceptTcpClientAsync(); }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
                    var outbound = new TcpClient();
                    try { await outbound.ConnectAsync(host, port); }
                    catch (SocketException) { inbound.Dispose(); continue; }
                    lock (_open) { _open.Add(inbound); _open.Add(outbound); }
                    _ = Pump(inbound, outbound);
                    _ = Pump(outbound, inbound);
                }
            });
        }

        private static async Task Pump(TcpClient from, TcpClient to)
        {
            try { await from.GetStream().CopyToAsync(to.GetStream()); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }
            finally { from.Dispose(); to.Dispose(); }
        }

        public void Close()
        {
            _listener?.Stop();
            lock (_open)
            {
                foreach (var client in _open)
                {
                    try { if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0); }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
                    client.Dispose();
                }
                _open.Clear();
            }
        }

        public ValueTask DisposeAsync()
        {
            Close();
            return ValueTask.CompletedTask;
        }
    }
}
