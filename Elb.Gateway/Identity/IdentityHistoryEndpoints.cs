using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Identity;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

/// <summary>One change to identity: what, when, and who made it. Secrets and password hashes never appear.</summary>
public sealed record IdentityHistoryEntry(long Sequence, string Type, DateTimeOffset OccurredAt, string? User, object? Principal,
    object Data);

/// <summary>Who created which user and key, who granted which role, when: the identity events, for admins.</summary>
public static class IdentityHistoryEndpoints
{
    private const int MaxEntries = 1000;

    /// <summary>The project's own stream (creation, role grants) and those of the users it owns (their keys).</summary>
    [WolverineGet("/v3/projects/{projectId}/history")]
    [ElbAnswer("events", typeof(IdentityHistoryEntry), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    public static async Task<IResult> OfProject(string projectId, IQuerySession session, CancellationToken cancellation)
    {
        var users = await session.Events.QueryRawEventDataOnly<UserCreated>().Where(e => e.ProjectId == projectId)
            .Select(e => e.UserId).ToListAsync(cancellation);
        Guid[] streams = [ProjectStream.Key(projectId), .. users];
        return Answer(await session.Events.QueryAllRawEvents().Where(e => streams.Contains(e.StreamId))
            .OrderBy(e => e.Sequence).Take(MaxEntries).ToListAsync(cancellation));
    }

    [WolverineGet("/v3/users/{userId}/history")]
    [ElbAnswer("events", typeof(IdentityHistoryEntry), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> OfUser(Guid userId, HttpContext http, AccessRules access,
        IQuerySession session, CancellationToken cancellation) =>
        await UserAccess.FindAsync(session, access, http.User, userId, UserAction.Read, cancellation) is null
            ? UserStream.NotFound(userId).ToProblem()
            : Answer(await session.Events.FetchStreamAsync(userId, token: cancellation));

    private static IResult Answer(IEnumerable<IEvent> events) => Results.Json(new Dictionary<string, object>
    {
        ["events"] = events.Select(e => new IdentityHistoryEntry(e.Sequence, e.EventTypeName, e.Timestamp, e.UserName,
            e.Headers?.GetValueOrDefault(RecordPrincipalMiddleware.Header), Redacted(e.Data))).ToList(),
    }, ElbJson.Options);

    private static object Redacted(object data) => data switch
    {
        AccessKeyCreated key => key with { EncryptedSecret = "[redacted]" },
        UserCreated user => user with { PasswordHash = user.PasswordHash is null ? null : "[redacted]" },
        _ => data,
    };
}
