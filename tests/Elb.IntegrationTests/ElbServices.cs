using System.Net.Sockets;
using System.Text;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Elb.IntegrationTests;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests run against: containers where a Docker engine answers, otherwise the
/// services <c>./test.sh</c> started, passed in as <c>ELB_POSTGRES</c> and <c>ELB_RABBITMQ</c>. Never a fake.
/// </summary>
public sealed record ElbServices(string Postgres, string RabbitMq, RabbitMqContainer? RabbitMqContainer = null)
{
    /// <summary>Runs <c>rabbitmqctl</c> against the broker the tests use (to stop and start it, as an outage would).</summary>
    public async Task RabbitMqCtlAsync(params string[] arguments)
    {
        if (RabbitMqContainer is not null)
        {
            await RabbitMqContainer.ExecAsync(["rabbitmqctl", .. arguments]);
            return;
        }
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("rabbitmqctl", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
    }

    private static readonly Lazy<Task<ElbServices>> Shared = new(StartAsync);

    public static Task<ElbServices> GetAsync() => Shared.Value;

    private static async Task<ElbServices> StartAsync()
    {
        if (await DockerEngineAnswersAsync())
        {
            var postgres = new PostgreSqlBuilder("postgres:15-alpine").Build();
            var rabbitMq = new RabbitMqBuilder("rabbitmq:3-management").Build();
            await Task.WhenAll(postgres.StartAsync(), rabbitMq.StartAsync());
            return new ElbServices(postgres.GetConnectionString(), rabbitMq.GetConnectionString(), rabbitMq);
        }

        return new ElbServices(
            Environment.GetEnvironmentVariable("ELB_POSTGRES")
                ?? throw new InvalidOperationException("No Docker engine and ELB_POSTGRES is not set: run ./test.sh"),
            Environment.GetEnvironmentVariable("ELB_RABBITMQ")
                ?? throw new InvalidOperationException("No Docker engine and ELB_RABBITMQ is not set: run ./test.sh"));
    }

    private static async Task<bool> DockerEngineAnswersAsync()
    {
        const string socketPath = "/var/run/docker.sock";
        if (!File.Exists(socketPath)) return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
            await socket.SendAsync("GET /_ping HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ");
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
