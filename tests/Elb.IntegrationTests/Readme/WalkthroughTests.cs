using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Elb.IntegrationTests.Readme;

/// <summary>
/// The README's walk-through, <c>scripts/walkthrough.sh</c>, run as a new user would: against a gateway and a node
/// started as <c>./run.sh</c> starts them (their own processes, the identities <c>scripts/identities.sh</c> makes),
/// on free loopback ports, a schema and a RabbitMQ virtual host of their own. The script checks every answer and
/// deletes what it made.
/// </summary>
public sealed class WalkthroughTests
{
    [Fact]
    public async Task The_walkthrough_runs_against_a_fresh_Elb_and_leaves_nothing_behind()
    {
        await using var elb = await RunningElb.StartAsync();

        // its errors into its output, so that a failure's message is in order with the steps before it
        var (exitCode, output) = await Run("bash", ["-c", "exec 2>&1; scripts/walkthrough.sh"], new()
        {
            ["ELB_CREDENTIALS"] = elb.Credentials,
            ["ELB_DATAPLANE_URL"] = elb.NodeUrl.ToString(),
        }, TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, $"scripts/walkthrough.sh exited with {exitCode}:\n{output}\n\nthe gateway's and the node's last lines:\n{elb.Output()}");
    }

    /// <summary>A gateway and one node as processes, like <c>./run.sh</c>'s, with a store and broker of their own.</summary>
    private sealed class RunningElb : IAsyncDisposable
    {
        private const string NodeId = "node1";
        private readonly string _directory = Directory.CreateTempSubdirectory("elb-walkthrough-").FullName;
        private readonly List<Process> _processes = [];
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
        private ElbServices _services = null!;
        private string _vhost = null!;

        public Uri GatewayUrl { get; } = new($"http://127.0.0.1:{DataPlaneProcess.FreePort()}");
        public Uri NodeUrl { get; } = new($"http://127.0.0.1:{DataPlaneProcess.FreePort()}");
        public string Credentials => Path.Combine(_directory, "credentials");

        public static async Task<RunningElb> StartAsync()
        {
            var elb = new RunningElb();
            try
            {
                await elb.StartProcessesAsync();
                return elb;
            }
            catch
            {
                await elb.DisposeAsync();
                throw;
            }
        }

        private async Task StartProcessesAsync()
        {
            _services = await ElbServices.GetAsync();
            var schema = GatewayFixture.Schema + "_walkthrough";
            await using (var connection = new NpgsqlConnection(_services.Postgres))
            {
                await connection.OpenAsync();
                await new NpgsqlCommand($"drop schema if exists {schema} cascade", connection).ExecuteNonQueryAsync();
            }
            _vhost = await CreateVirtualHostAsync();

            var (made, output) = await Run("bash", ["-c", ". scripts/identities.sh && elb_make_identities \"$@\"", "identities",
                _directory, GatewayUrl.ToString().TrimEnd('/'), NodeId], [], TimeSpan.FromSeconds(30));
            Assert.True(made == 0, $"elb_make_identities: {output}");
            var settings = File.ReadAllLines(Path.Combine(_directory, "elb.env"))
                .Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);

            // Each process gets what ./run.sh gives it: its own RabbitMQ user and of the identity settings what its role needs.
            Start("Elb.Gateway", new(settings.Where(setting => setting.Key.StartsWith("Elb__")))
            {
                ["ELB_POSTGRES"] = _services.Postgres,
                ["ELB_RABBITMQ"] = InVirtualHost(_services.RabbitMq),
                ["ELB_RABBITMQ_MANAGEMENT"] = _services.RabbitMqManagement,
                ["Elb__Schema"] = schema,
                ["Elb__Egress__Profile"] = "local",
                ["Urls"] = GatewayUrl.ToString(),
            });
            await WaitHealthyAsync(GatewayUrl);
            Start("Elb.DataPlane", new(settings.Where(setting => setting.Key.StartsWith("DataPlane__")
                || setting.Key == "Elb__Identity__TokenSigningKey"))
            {
                ["ELB_RABBITMQ_DATAPLANE"] = InVirtualHost(_services.RabbitMqDataPlane),
                ["Elb__Egress__Profile"] = "local",
                ["Urls"] = NodeUrl.ToString(),
                ["DataPlane__NodeId"] = NodeId,
                ["DataPlane__GatewayUrl"] = GatewayUrl.ToString(),
                ["DataPlane__HeartbeatSeconds"] = "1",
                // VIPs on loopback addresses no other test's node uses (GatewayFixture.NextVipMap)
                ["DataPlane__VipMap"] = "10.0.0.0/16=127.250.0.0/16",
            });
            await WaitHealthyAsync(NodeUrl);
        }

        /// <summary>A virtual host with Elb's users, exchanges and policy, as <c>scripts/services.sh</c> makes one.</summary>
        private async Task<string> CreateVirtualHostAsync()
        {
            var vhost = (new Uri(_services.RabbitMq).AbsolutePath.Trim('/') is { Length: > 0 } given ? Uri.UnescapeDataString(given) : "elb-tests")
                + "-walkthrough";
            using var management = Management();
            var admin = new Uri(_services.RabbitMqManagement).UserInfo.Split(':')[0];
            (await management.PutAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
            (await management.PutAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{admin}",
                new StringContent("""{"configure": ".*", "write": ".*", "read": ".*"}""", Encoding.UTF8, "application/json")))
                .EnsureSuccessStatusCode();
            var (exitCode, output) = await Run("python3", [RepositoryFile("scripts/broker-setup.py")], new()
            {
                ["ELB_RABBITMQ_MANAGEMENT"] = _services.RabbitMqManagement,
                ["ELB_BROKER_GATEWAY_PASSWORD"] = Password(_services.RabbitMq),
                ["ELB_BROKER_DATAPLANE_PASSWORD"] = Password(_services.RabbitMqDataPlane),
                ["ELB_BROKER_VHOST"] = vhost,
            }, TimeSpan.FromSeconds(60));
            Assert.True(exitCode == 0, $"broker-setup.py: {output}");
            return vhost;
        }

        private HttpClient Management()
        {
            var url = new Uri(_services.RabbitMqManagement);
            var client = new HttpClient { BaseAddress = new UriBuilder(url) { UserName = "", Password = "" }.Uri };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
            return client;
        }

        private static string Password(string amqp) => Uri.UnescapeDataString(new Uri(amqp).UserInfo.Split(':', 2)[1]);

        private string InVirtualHost(string amqp) => new UriBuilder(amqp) { Path = "/" + Uri.EscapeDataString(_vhost) }.Uri.ToString();

        private void Start(string project, Dictionary<string, string> environment)
        {
            var assembly = DataPlaneProcess.BuiltAssembly(project);
            var start = new ProcessStartInfo("dotnet", [assembly])
            {
                WorkingDirectory = Path.GetDirectoryName(assembly)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // only what this process is given, not the test run's services and credentials
            foreach (var inherited in start.Environment.Keys.Where(key => key.StartsWith("ELB_") || key.StartsWith("Elb__")).ToList())
            {
                start.Environment.Remove(inherited);
            }
            foreach (var (key, value) in environment) start.Environment[key] = value;
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, line) => Keep(project, line.Data);
            process.ErrorDataReceived += (_, line) => Keep(project, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }

        private async Task WaitHealthyAsync(Uri url)
        {
            using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                if (_processes.FirstOrDefault(process => process.HasExited) is { } exited)
                {
                    throw new InvalidOperationException($"A process exited with {exited.ExitCode}:\n{Output()}");
                }
                try
                {
                    if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(200);
            }
            throw new TimeoutException($"{url}health did not answer 200:\n{Output()}");
        }

        private void Keep(string project, string? line)
        {
            if (line is null) return;
            _output.Enqueue($"{project}: {line}");
            while (_output.Count > 80) _output.TryDequeue(out _);
        }

        public string Output() => string.Join('\n', _output);

        public async ValueTask DisposeAsync()
        {
            foreach (var process in _processes)
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }
            if (_vhost is not null)
            {
                using var management = Management();
                await management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(_vhost)}");
            }
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Runs a command from the repository's root; its exit code and its output and errors, interleaved.</summary>
    private static async Task<(int ExitCode, string Output)> Run(string command, string[] arguments,
        Dictionary<string, string> environment, TimeSpan within)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = RepositoryFile(""),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.ErrorDataReceived += (_, line) => { lock (output) output.AppendLine(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM, not SIGKILL: the script's trap deletes what it made
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            await process.WaitForExitAsync();
            output.AppendLine($"(stopped after {within})");
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string RepositoryFile(string path) => ElbServices.RepositoryFile(path);
}
