using System.CommandLine;
using System.Text.Json;
using Elb.Cli.Api;
using Spectre.Console;

namespace Elb.Cli.LoadBalancers;

/// <summary><c>elb lb list</c> and <c>elb lb show &lt;id&gt;</c>.</summary>
public static class LoadBalancerCommands
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "The project's load balancers");
        context.SetAction(list, async (parse, cancellation) =>
        {
            using var api = context.Api();
            var answer = await api.GetAsync($"v3/{Uri.EscapeDataString(context.ProjectOf(parse))}/elb/loadbalancers", cancellation);
            if (parse.GetValue(context.Format) == OutputFormat.Json)
            {
                context.WriteJson(answer.Json);
                return;
            }
            // Ids are never wrapped, even on a narrow console: they are what a user copies into the next command.
            var table = new Table().AddColumns(new TableColumn("ID").NoWrap(), new TableColumn("Name"), new TableColumn("VIP"),
                new TableColumn("Operating"), new TableColumn("Provisioning"), new TableColumn("Listeners"), new TableColumn("Pools"),
                new TableColumn("AZs"));
            foreach (var lb in answer.Root.Items("loadbalancers"))
            {
                table.AddRow(CliContext.Cell(lb.Text("id")), CliContext.Cell(lb.Text("name")), CliContext.Cell(lb.Text("vip_address")),
                    CliContext.Cell(lb.Text("operating_status")), CliContext.Cell(lb.Text("provisioning_status")),
                    CliContext.Cell(lb.Items("listeners").Count().ToString()), CliContext.Cell(lb.Items("pools").Count().ToString()),
                    CliContext.Cell(string.Join(", ", lb.Items("availability_zone_list").Select(az => az.GetString()))));
            }
            context.Write(table);
        });

        var id = new Argument<Guid>("loadbalancer") { Description = "The load balancer's id" };
        var show = new Command("show", "One load balancer, field by field") { id };
        context.SetAction(show, async (parse, cancellation) =>
        {
            using var api = context.Api();
            var answer = await api.GetAsync(
                $"v3/{Uri.EscapeDataString(context.ProjectOf(parse))}/elb/loadbalancers/{parse.GetValue(id)}", cancellation);
            if (parse.GetValue(context.Format) == OutputFormat.Json)
            {
                context.WriteJson(answer.Json);
                return;
            }
            var fields = new Table().AddColumns("Field", "Value");
            foreach (var field in answer.Root.Object("loadbalancer").EnumerateObject())
            {
                fields.AddRow(CliContext.Cell(field.Name), CliContext.Cell(Shown(field.Value)));
            }
            context.Write(fields);
        });

        return new Command("lb", "Load balancers") { list, show };
    }

    /// <summary>A list of references shows their ids; a list of strings, the strings.</summary>
    private static string Shown(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
            ? item.Text("id") : item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText())),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
