using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Elb.Cli.Api;
using Spectre.Console;

namespace Elb.Cli.History;

/// <summary>
/// <c>elb history &lt;lb&gt; [--follow]</c>: a load balancer's events in version order, paged through to the end; with
/// <c>--follow</c> it then asks for the versions after the last one it printed, every <c>--interval</c>, until Ctrl+C.
/// </summary>
public static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<Guid>("loadbalancer") { Description = "The load balancer's id (also of a deleted one)" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing its new events as they happen, until Ctrl+C" };
        var interval = new Option<double>("--interval")
        {
            Description = "Seconds between two asks for new events with --follow",
            DefaultValueFactory = _ => 2,
        };
        var command = new Command("history", "A load balancer's events: what changed, when, and who asked") { id, follow, interval };
        context.SetAction(command, async (parse, cancellation) =>
        {
            using var api = context.Api();
            var path = $"v3/{Uri.EscapeDataString(context.ProjectOf(parse))}/elb/loadbalancers/{parse.GetValue(id)}/history";
            var printer = new HistoryPrinter(context, parse.GetValue(context.Format));
            long from = 1;
            while (true)
            {
                var answer = await api.GetAsync($"{path}?from_version={from}", cancellation);
                var events = answer.Root.Items("events").ToList();
                printer.Print(events);
                if (events.Count > 0) from = events[^1].GetProperty("version").GetInt64() + 1;
                if (answer.Root.Object("page_info").Text("next_from_version") is { Length: > 0 }) continue;
                if (!parse.GetValue(follow)) return;
                await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(interval)), cancellation);
            }
        });
        return command;
    }

    /// <summary>
    /// Prints events as they arrive: as table rows under one header, in columns of fixed width so that the rows of
    /// later batches line up with the first; or as JSON, one event per line as the API answered it (a followed feed
    /// has no end to close an array at).
    /// </summary>
    private sealed class HistoryPrinter(CliContext context, OutputFormat format)
    {
        private bool _headerShown;

        public void Print(IReadOnlyList<JsonElement> events)
        {
            if (events.Count == 0) return;
            if (format == OutputFormat.Json)
            {
                foreach (var e in events) context.WriteJson(e.GetRawText());
                return;
            }
            var table = new Table().Border(TableBorder.None)
                .AddColumn(new TableColumn("Version").Width(7).RightAligned())
                .AddColumn(new TableColumn("Occurred at (UTC)").Width(19).NoWrap())
                .AddColumn(new TableColumn("Type").Width(28))
                .AddColumn(new TableColumn("User").Width(16))
                .AddColumn(new TableColumn("Data"));
            if (_headerShown) table.HideHeaders();
            _headerShown = true;
            foreach (var e in events)
            {
                table.AddRow(CliContext.Cell(e.Text("version")), CliContext.Cell(When(e.Text("occurred_at"))),
                    CliContext.Cell(e.Text("type")), CliContext.Cell(e.Text("user")), CliContext.Cell(e.Text("data")));
            }
            context.Write(table);
        }

        private static string When(string occurredAt) =>
            DateTimeOffset.TryParse(occurredAt, CultureInfo.InvariantCulture, out var at)
                ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                : occurredAt;
    }
}
