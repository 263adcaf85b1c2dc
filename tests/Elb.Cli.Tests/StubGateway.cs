using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Elb.Cli.Tests;

/// <summary>A request as the stub received it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real HTTP server on a free loopback port answering the gateway's routes with bodies a test gives, and keeping
/// what it was sent: the tool is tested over its real HTTP client, signing handler included.
/// </summary>
public sealed class StubGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpRequest, (int Status, string Body)>> _routes = new();

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();
    public string Endpoint => _app.Urls.First();

    private StubGateway(WebApplication app) => _app = app;

    public static async Task<StubGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var stub = new StubGateway(builder.Build());
        stub._app.Run(stub.AnswerAsync);
        await stub._app.StartAsync();
        return stub;
    }

    /// <summary>Answers GET <paramref name="path"/> (any query) with this body.</summary>
    public void Map(string path, string body, int status = 200) => _routes[path] = _ => (status, body);

    public void Map(string path, Func<HttpRequest, (int Status, string Body)> answer) => _routes[path] = answer;

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        Received.Enqueue(new ReceivedRequest(request.Method, request.Path + request.QueryString,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var (status, body) = _routes.TryGetValue(request.Path, out var answer)
            ? answer(request)
            : (404, """{"status": 404, "error_code": "ELB.NotFound", "error_msg": "There is no resource here."}""");
        context.Response.StatusCode = status;
        context.Response.ContentType = status < 400 ? "application/json" : "application/problem+json";
        context.Response.Headers["X-Request-Id"] = "req-stub";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
