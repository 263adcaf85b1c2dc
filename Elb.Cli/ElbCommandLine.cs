using System.CommandLine;
using Elb.Cli.Configuration;
using Elb.Cli.History;
using Elb.Cli.LoadBalancers;
using Elb.Cli.Members;
using Elb.Cli.Nodes;
using Elb.Cli.Projections;

namespace Elb.Cli;

public static class ElbCommandLine
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand("elb: the load balancers, members, history and nodes of an Elb gateway");
        root.Options.Add(context.Format);
        root.Options.Add(context.Project);
        root.Subcommands.Add(ConfigureCommand.Create(context));
        root.Subcommands.Add(LoadBalancerCommands.Create(context));
        root.Subcommands.Add(MemberCommands.Create(context));
        root.Subcommands.Add(HistoryCommand.Create(context));
        root.Subcommands.Add(NodesCommand.Create(context));
        root.Subcommands.Add(ProjectionCommands.Create(context));
        return root;
    }
}
