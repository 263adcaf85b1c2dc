using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elb.IntegrationTests;

/// <summary>
/// Backend servers on loopback that answer every request with their own name, <c>/healthz</c> with 200, or 500
/// while <see cref="Healthy"/> says so, and <c>/forwarded</c> with the X-Forwarded-For, -Proto and -Host they received.
/// </summary>
public sealed class Backends : IAsyncDisposable
{
    private readonly List<WebApplication> _servers = [];

    public List<int> Ports { get; } = [];

    public bool[] Healthy { get; private set; } = [];

    /// <summary>Set when a request to <c>/slow</c> (held open for a minute) was cut by the other side.</summary>
    public bool[] SlowRequestCut { get; private set; } = [];

    public static async Task<Backends> StartAsync(int count)
    {
        var backends = new Backends { Healthy = [.. Enumerable.Repeat(true, count)], SlowRequestCut = new bool[count] };
        for (var i = 0; i < count; i++)
        {
            var port = FreePort();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            var server = builder.Build();
            var name = $"backend-{i}";
            var index = i;
            server.Run(async context =>
            {
                if (context.Request.Path == "/slow")
                {
                    await context.Response.WriteAsync(name);
                    await context.Response.Body.FlushAsync();
                    try
                    {
                        await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        backends.SlowRequestCut[index] = true;
                    }
                    return;
                }
                if (context.Request.Path == "/forwarded")
                {
                    var headers = context.Request.Headers;
                    await context.Response.WriteAsync($"{headers["X-Forwarded-For"]}|{headers["X-Forwarded-Proto"]}|{headers["X-Forwarded-Host"]}");
                    return;
                }
                if (context.Request.Path == "/healthz" && !backends.Healthy[index]) context.Response.StatusCode = 500;
                await context.Response.WriteAsync(name);
            });
            await server.StartAsync();
            backends._servers.Add(server);
            backends.Ports.Add(port);
        }
        return backends;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }
}
