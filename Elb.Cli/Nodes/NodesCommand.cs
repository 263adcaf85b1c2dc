using System.CommandLine;
using Elb.Cli.Api;
using Spectre.Console;

namespace Elb.Cli.Nodes;

/// <summary>
/// <c>elb nodes</c>: the data-plane nodes and how far each is behind the control plane (GET /v3/dataplane/nodes; needs
/// <c>elb_system_admin</c> or <c>elb_global_viewer</c>).
/// </summary>
public static class NodesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("nodes", "The data-plane nodes: alive or not, and whether each serves what the control plane holds");
        context.SetAction(command, async (parse, cancellation) =>
        {
            using var api = context.Api();
            var answer = await api.GetAsync("v3/dataplane/nodes", cancellation);
            if (parse.GetValue(context.Format) == OutputFormat.Json)
            {
                context.WriteJson(answer.Json);
                return;
            }
            var table = new Table().AddColumns("Node", "Status", "Last seen", "Load balancers", "Versions behind", "Converged",
                "Lagging", "Stale");
            foreach (var node in answer.Root.Items("nodes"))
            {
                var converged = node.Text("converged") == "true";
                table.AddRow(CliContext.Cell(node.Text("id")), CliContext.Cell(node.Text("status")), CliContext.Cell(node.Text("last_seen_at")),
                    CliContext.Cell(node.Text("loadbalancers")), CliContext.Cell(node.Text("versions_behind")),
                    new Markup(converged ? "[green]yes[/]" : "[red]no[/]"),
                    CliContext.Cell(string.Join(", ", node.Items("lagging").Select(l => l.Text("loadbalancer_id")))),
                    CliContext.Cell(string.Join(", ", node.Items("stale").Select(s => s.GetString()))));
            }
            context.Write(table);
            context.Output.WriteLine($"Control plane: {answer.Root.Items("control_plane").Count()} load balancers");
        });
        return command;
    }
}
