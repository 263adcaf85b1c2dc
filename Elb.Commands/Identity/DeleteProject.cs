using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Identity;

public sealed record DeleteProject(string ProjectId);

public static class DeleteProjectRules
{
    /// <summary>A project with load balancers keeps them reachable only while it exists: delete them first.</summary>
    public static IdentityDecision Decide(Project? project, int loadBalancers, DeleteProject command, DateTimeOffset now)
    {
        if (project is null) return ProjectStream.NotFound(command.ProjectId);
        if (loadBalancers > 0)
        {
            return RuleViolation.Conflict("ELB.ProjectInUse",
                $"Project {project.Id} still has {loadBalancers} load balancer(s); delete them first.");
        }
        return IdentityDecision.Accept(new ProjectDeleted(project.Id, now));
    }
}

public static class DeleteProjectHandler
{
    public static async Task<CommandOutcome<string>> Handle(DeleteProject command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var key = ProjectStream.Key(command.ProjectId);
        var stream = await session.Events.FetchForExclusiveWriting<Project>(key, cancellation);
        var loadBalancers = await session.Query<LoadBalancer>().CountAsync(lb => lb.ProjectId == command.ProjectId, cancellation);
        var decision = DeleteProjectRules.Decide(stream.Aggregate, loadBalancers, command, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<string>.Refused(violation);

        stream.AppendMany(decision.Events);
        return new CommandOutcome<string>(command.ProjectId, null);
    }
}
