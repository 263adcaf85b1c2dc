using System.Net.Sockets;
using System.Text;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Elb.IntegrationTests;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests run against: containers where a Docker engine answers, otherwise the
/// services <c>./test.sh</c> started, passed in as <c>ELB_POSTGRES</c>, <c>ELB_RABBITMQ</c> (the gateway's user),
/// <c>ELB_RABBITMQ_DATAPLANE</c> (the nodes' user) and <c>ELB_RABBITMQ_MANAGEMENT</c> (the administrator, over the
/// management HTTP API). Never a fake; the broker's users and permissions are those <c>scripts/broker-setup.py</c> sets.
/// </summary>
public sealed record ElbServices(string Postgres, string RabbitMq, string RabbitMqDataPlane, string RabbitMqManagement,
    RabbitMqContainer? RabbitMqContainer = null)
{
    /// <summary>The administrator over AMQP, for tests that do to the broker what an operator would.</summary>
    public string RabbitMqAdmin
    {
        get
        {
            var management = new Uri(RabbitMqManagement);
            return new UriBuilder(RabbitMq) { UserName = management.UserInfo.Split(':')[0], Password = management.UserInfo.Split(':', 2)[1] }
                .Uri.ToString();
        }
    }

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
            const string admin = "elb-broker-admin";
            string[] passwords = [Secret(), Secret(), Secret()];
            var postgres = new PostgreSqlBuilder("postgres:15-alpine").Build();
            var rabbitMq = new RabbitMqBuilder("rabbitmq:3-management")
                .WithUsername(admin)
                .WithPassword(passwords[0])
                .WithPortBinding(15672, true)
                .WithResourceMapping(new FileInfo(RepositoryFile("scripts/broker-setup.py")), "/elb/")
                .Build();
            await Task.WhenAll(postgres.StartAsync(), rabbitMq.StartAsync());
            var setup = await rabbitMq.ExecAsync(["env", $"ELB_RABBITMQ_MANAGEMENT=http://{admin}:{passwords[0]}@127.0.0.1:15672/",
                $"ELB_BROKER_GATEWAY_PASSWORD={passwords[1]}", $"ELB_BROKER_DATAPLANE_PASSWORD={passwords[2]}",
                "python3", "/elb/broker-setup.py"]);
            if (setup.ExitCode != 0) throw new InvalidOperationException($"broker-setup.py: {setup.Stderr}");
            var amqp = $"{rabbitMq.Hostname}:{rabbitMq.GetMappedPublicPort(5672)}/";
            return new ElbServices(postgres.GetConnectionString(),
                $"amqp://elb-gateway:{passwords[1]}@{amqp}",
                $"amqp://elb-dataplane:{passwords[2]}@{amqp}",
                $"http://{admin}:{passwords[0]}@{rabbitMq.Hostname}:{rabbitMq.GetMappedPublicPort(15672)}/",
                rabbitMq);
        }

        return new ElbServices(Required("ELB_POSTGRES"), Required("ELB_RABBITMQ"), Required("ELB_RABBITMQ_DATAPLANE"),
            Required("ELB_RABBITMQ_MANAGEMENT"));
    }

    private static string Required(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"No Docker engine and {name} is not set: run ./test.sh (or source scripts/services.sh)");

    private static string Secret() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    internal static string RepositoryFile(string path)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Elb.sln"))) root = root.Parent!;
        return Path.Combine(root.FullName, path);
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
