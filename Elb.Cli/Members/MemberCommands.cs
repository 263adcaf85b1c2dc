using System.CommandLine;
using Elb.Cli.Api;
using Spectre.Console;

namespace Elb.Cli.Members;

/// <summary>
/// <c>elb member find --address 10.0.0.7</c>: the guide's "view the load balancer that the backend server is associated
/// with by the IP address or ID of the backend server".
/// </summary>
public static class MemberCommands
{
    public static Command Create(CliContext context)
    {
        var address = new Option<string?>("--address") { Description = "The backend server's IP address" };
        var instance = new Option<string?>("--instance-id") { Description = "The backend server's id (ECS)" };
        var find = new Command("find", "The members a backend server is, with their load balancer and pool") { address, instance };
        find.Validators.Add(result =>
        {
            if (result.GetValue(address) is null && result.GetValue(instance) is null)
            {
                result.AddError("Give --address or --instance-id.");
            }
        });
        context.SetAction(find, async (parse, cancellation) =>
        {
            using var api = context.Api();
            var answer = await api.GetAsync($"v3/{Uri.EscapeDataString(context.ProjectOf(parse))}/elb/members?{Query(
                ("address", parse.GetValue(address)), ("instance_id", parse.GetValue(instance)))}", cancellation);
            if (parse.GetValue(context.Format) == OutputFormat.Json)
            {
                context.WriteJson(answer.Json);
                return;
            }
            // Ids are never wrapped, even on a narrow console: they are what a user copies into the next command.
            var table = new Table().AddColumns(new TableColumn("Load balancer"), new TableColumn("Pool").NoWrap(),
                new TableColumn("Member").NoWrap(), new TableColumn("Address"), new TableColumn("Port"), new TableColumn("Weight"),
                new TableColumn("Health"), new TableColumn("Slow start"), new TableColumn("AZ"));
            foreach (var member in answer.Root.Items("members"))
            {
                table.AddRow(CliContext.Cell($"{member.Text("loadbalancer_name")} ({member.Text("loadbalancer_id")})"),
                    CliContext.Cell(member.Text("pool_id")), CliContext.Cell(member.Text("id")), CliContext.Cell(member.Text("address")),
                    CliContext.Cell(member.Text("protocol_port")), CliContext.Cell(member.Text("weight")),
                    CliContext.Cell(member.Text("operating_status")), CliContext.Cell(member.Object("slow_start").Text("state")),
                    CliContext.Cell(member.Text("availability_zone")));
            }
            context.Write(table);
        });
        return new Command("member", "Backend servers (members)") { find };
    }

    private static string Query(params (string Name, string? Value)[] parameters) => string.Join("&", parameters
        .Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
