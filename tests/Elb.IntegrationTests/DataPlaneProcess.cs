using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Elb.IntegrationTests;

/// <summary>A data-plane node as its own operating-system process, so a test can kill it with SIGKILL.</summary>
public sealed class DataPlaneProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private DataPlaneProcess(Process process, Uri adminUrl, string adminToken)
    {
        _process = process;
        Admin = new HttpClient { BaseAddress = adminUrl, Timeout = TimeSpan.FromSeconds(5) };
        Admin.DefaultRequestHeaders.Add("X-Auth-Token", adminToken);
    }

    /// <summary>The node's admin API, with a system admin's token as it requires.</summary>
    public HttpClient Admin { get; }

    /// <param name="rabbitMq">The nodes' RabbitMQ user (<see cref="ElbServices.RabbitMqDataPlane"/>).</param>
    public static async Task<DataPlaneProcess> StartAsync(string nodeId, Uri gatewayUrl, string rabbitMq, string adminToken)
    {
        var adminUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var assembly = BuiltAssembly("Elb.DataPlane");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ELB_RABBITMQ_DATAPLANE"] = rabbitMq,
                ["Urls"] = adminUrl.ToString(),
                ["DataPlane__NodeId"] = nodeId,
                ["DataPlane__GatewayUrl"] = gatewayUrl.ToString(),
                ["DataPlane__HeartbeatSeconds"] = "1",
                ["DataPlane__VipMap"] = GatewayFixture.NextVipMap(),
            },
        };
        foreach (var (key, value) in TestIdentity.NodeSettings) start.Environment[key.Replace(":", "__")] = value;
        // only the node's own credentials, as in production (the test process has every role's)
        start.Environment.Remove("ELB_RABBITMQ");
        start.Environment.Remove("ELB_RABBITMQ_MANAGEMENT");
        var process = Process.Start(start)!;
        var node = new DataPlaneProcess(process, adminUrl, adminToken);
        process.OutputDataReceived += (_, line) => node.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => node.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return node;
    }

    /// <summary>SIGKILL: no shutdown, no acknowledgement of what it was doing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Admin.Dispose();
        await Task.CompletedTask;
    }

    private async Task WaitHealthyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The data-plane process exited with {_process.ExitCode}:\n{string.Join('\n', _output)}");
            }
            try
            {
                if ((await Admin.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The data-plane process did not become healthy.");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 40) _output.TryDequeue(out _);
    }

    /// <summary>A process of the solution (<paramref name="project"/>), built beside this test run, from its own output folder.</summary>
    internal static string BuiltAssembly(string project)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Elb.sln"))) root = root.Parent!;
        return Path.Combine(root.FullName, project, "bin", configuration, "net10.0", project + ".dll");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
