using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Elb.Cli.Tests;

public sealed class HistoryCommandTests : IAsyncLifetime
{
    private const string LoadBalancer = "6f1a0c52-3b8e-4d8e-9a51-1c2d3e4f5a6b";
    private const string Path = $"/v3/my-project/elb/loadbalancers/{LoadBalancer}/history";

    private readonly List<string> _events = [];
    private StubGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await StubGateway.StartAsync();
        _gateway.Map(Path, Page);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task History_pages_through_every_event_in_version_order()
    {
        AddEvents(5);
        using var cli = CliRun.For(_gateway);

        Assert.Equal(0, await cli.RunAsync($"history {LoadBalancer}"));

        Assert.Equal(new[] { $"{Path}?from_version=1", $"{Path}?from_version=3", $"{Path}?from_version=5" },
            _gateway.Received.Select(r => r.PathAndQuery));
        Assert.Equal(new[] { "Changed1", "Changed2", "Changed3", "Changed4", "Changed5" },
            Regex.Matches(cli.Output.Output, @"Changed\d").Select(m => m.Value));
        Assert.Matches(Rows.Of("1", "2026-12-01 08:00:01", "Changed1", "demo", """{"weight":1 }"""), cli.Output.Output);
    }

    [Fact]
    public async Task Follow_prints_each_new_event_once_and_stops_on_cancellation()
    {
        AddEvents(1);
        using var cli = CliRun.For(_gateway);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var following = cli.RunAsync($"history {LoadBalancer} --follow --interval 0.05 -o json", stop.Token);
        await UntilAsync(() => cli.Output.Output.Contains("Changed1") && _gateway.Received.Count >= 3);
        AddEvents(1);
        await UntilAsync(() => cli.Output.Output.Contains("Changed2"));
        var asked = _gateway.Received.Count;
        await UntilAsync(() => _gateway.Received.Count >= asked + 2);
        await stop.CancelAsync();

        Assert.Equal(0, await following.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new[] { EventJson(1), EventJson(2) }, cli.Output.Lines.Where(line => line.Length > 0));
        Assert.Contains($"{Path}?from_version=3", _gateway.Received.Select(r => r.PathAndQuery));
    }

    /// <summary>Two events a page, as the gateway answers with <c>limit=2</c>.</summary>
    private (int, string) Page(HttpRequest request)
    {
        var from = int.Parse(request.Query["from_version"].ToString());
        lock (_events)
        {
            var page = _events.Skip(from - 1).Take(2).ToList();
            var next = _events.Count > from + 1 ? (from + 2).ToString() : "null";
            return (200, $$$"""{"events": [{{{string.Join(", ", page)}}}], "page_info": {"current_count": {{{page.Count}}}, "next_from_version": {{{next}}} }}""");
        }
    }

    private void AddEvents(int count)
    {
        lock (_events)
        {
            for (var i = 0; i < count; i++) _events.Add(EventJson(_events.Count + 1));
        }
    }

    private static string EventJson(int version) =>
        $$$"""{"version":{{{version}}},"sequence":{{{100 + version}}},"loadbalancer_id":"{{{LoadBalancer}}}","type":"Changed{{{version}}}","occurred_at":"2026-12-01T08:00:0{{{version}}}+00:00","user":"demo","correlation_id":null,"data":{"weight":{{{version}}} }}""";

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
