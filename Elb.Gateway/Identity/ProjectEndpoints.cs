using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

public sealed record CreateProjectRequest(CreateProject? Project);

public sealed record ProjectResource(string Id, string Name, string Description, DateTimeOffset CreatedAt)
{
    public static ProjectResource From(Project project) => new(project.Id, project.Name, project.Description, project.CreatedAt);
}

/// <summary>Projects in Keystone v3's shape. Only a system admin creates or deletes one.</summary>
public static class ProjectEndpoints
{
    [WolverinePost("/v3/projects")]
    [ElbAnswer("project", typeof(ProjectResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> Create(CreateProjectRequest request, IMessageBus bus, CancellationToken cancellation) =>
        request.Project is null
            ? Task.FromResult(RuleViolation.MissingField("project").ToProblem())
            : bus.Execute<Project>(request.Project,
                (project, _) => Task.FromResult(ElbResults.Created("project", ProjectResource.From(project))), cancellation);

    /// <summary>Every project for system readers; otherwise the projects the caller holds a role in.</summary>
    [WolverineGet("/v3/projects")]
    [ElbAnswer("projects", typeof(ProjectResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> List(HttpContext http, int? limit, string? marker, IQuerySession session,
        CancellationToken cancellation)
    {
        var user = http.User;
        var projects = user.Holds(ElbRole.SystemAdmin) || user.Holds(ElbRole.GlobalViewer)
            ? await session.Query<Project>().ToListAsync(cancellation)
            : await session.LoadManyAsync<Project>(cancellation, user.Projects().Select(ProjectStream.Key));
        return ElbResults.Page("projects", Elb.Projections.Paging.Page(projects.Select(ProjectResource.From), p => p.Id, limit, marker));
    }

    [WolverineGet("/v3/projects/{projectId}")]
    [ElbAnswer("project", typeof(ProjectResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation) is { } project
            ? ElbResults.Resource("project", ProjectResource.From(project))
            : ProjectStream.NotFound(projectId).ToProblem();

    [WolverineDelete("/v3/projects/{projectId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.SystemAdmin)]
    public static Task<IResult> Delete(string projectId, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<string>(new DeleteProject(projectId), (_, _) => Task.FromResult(Results.NoContent()), cancellation);
}
