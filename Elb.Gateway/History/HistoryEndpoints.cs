using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Elb.Commands;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.LoadBalancers;
using Elb.Commands.PublicEvents;
using Elb.Gateway.OpenApi;
using Elb.Projections;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Elb.Gateway.History;

/// <summary>
/// One accepted change: what happened, to which stream at which version, when, and who asked: <see cref="User"/> is
/// the verified user's name, <see cref="Principal"/> its id, project, credential and auth method.
/// </summary>
public sealed record HistoryEntry(
    long Version,
    long Sequence,
    Guid LoadBalancerId,
    string Type,
    DateTimeOffset OccurredAt,
    string? User,
    object? Principal,
    string? CorrelationId,
    object Data);

/// <summary>A page of the history; the next page starts at the one <c>next_...</c> position given (none: this is the last).</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Events, HistoryPageInfo PageInfo);

public sealed record HistoryPageInfo(
    int CurrentCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NextFromVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NextAfterSequence = null);

public sealed record HistoryFilter(string? Type, DateTimeOffset? Since, DateTimeOffset? Until);

/// <summary>
/// The audit history, read from the events themselves (so a deleted load balancer's history stays readable):
/// per load balancer in version order, or per project in global order.
/// </summary>
public static class HistoryEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    [WolverineGet("/v3/{projectId}/elb/loadbalancers/{loadBalancerId}/history")]
    [ElbAnswer(typeof(HistoryPage))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> OfLoadBalancer(string projectId, Guid loadBalancerId,
        [FromQuery(Name = "from_version")] long? fromVersion, [FromQuery(Name = "to_version")] long? toVersion,
        string? type, DateTimeOffset? since, DateTimeOffset? until, int? limit, ResourceLocations locations, IQuerySession session,
        CancellationToken cancellation)
    {
        if (!await BelongsToAsync(locations, session, projectId, loadBalancerId, cancellation))
        {
            return RuleViolation.NotFound("LoadBalancer", loadBalancerId).ToProblem();
        }
        var size = Size(limit);
        var (from, to) = (fromVersion ?? 1, toVersion ?? long.MaxValue);
        var events = await Filter(session.Events.QueryAllRawEvents(), new HistoryFilter(type, since, until))
            .Where(e => e.StreamId == loadBalancerId && e.Version >= from && e.Version <= to)
            .OrderBy(e => e.Version).Take(size + 1).ToListAsync(cancellation);
        return Page(events, size, (count, last) => new HistoryPageInfo(count, last?.Version + 1, null));
    }

    [WolverineGet("/v3/{projectId}/elb/history")]
    [ElbAnswer(typeof(HistoryPage))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> OfProject(string projectId, [FromQuery(Name = "after_sequence")] long? afterSequence,
        string? type, DateTimeOffset? since, DateTimeOffset? until, int? limit, IQuerySession session,
        CancellationToken cancellation)
    {
        var size = Size(limit);
        var events = await ProjectEventsAsync(session, projectId, afterSequence ?? 0, new HistoryFilter(type, since, until),
            size + 1, cancellation);
        return Page(events, size, (count, last) => new HistoryPageInfo(count, null, last?.Sequence));
    }

    /// <summary>
    /// The catch-up feed: the project's events after a sequence, as the same CloudEvents <c>elb.events</c> carries (a
    /// JSON array in sequence order). A subscriber resumes here from the last sequence it saw, then follows the exchange.
    /// </summary>
    [WolverineGet("/v3/{projectId}/elb/events")]
    [ElbAnswer(typeof(CloudEvent), ElbAnswerShape.BareList)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Feed(string projectId, [FromQuery(Name = "after_sequence")] long? afterSequence,
        int? limit, IQuerySession session, CancellationToken cancellation)
    {
        var events = await ProjectEventsAsync(session, projectId, afterSequence ?? 0, new HistoryFilter(null, null, null),
            Size(limit), cancellation);
        return Results.Json(events.Select(e => PublicEventContract.ToCloudEvent(e, (ILoadBalancerEvent)e.Data)).ToList(),
            ElbJson.Options);
    }

    /// <summary>The project's events in global order: those of every load balancer it ever created.</summary>
    private static async Task<IReadOnlyList<IEvent>> ProjectEventsAsync(IQuerySession session, string projectId, long after,
        HistoryFilter filter, int count, CancellationToken cancellation)
    {
        var streams = await session.Query<ResourceLocation>()
            .Where(l => l.ProjectId == projectId && l.Kind == ResourceKind.LoadBalancer).Select(l => l.Id).ToListAsync(cancellation);
        return await Filter(session.Events.QueryAllRawEvents(), filter)
            .Where(e => streams.Contains(e.StreamId) && e.Sequence > after)
            .OrderBy(e => e.Sequence).Take(count).ToListAsync(cancellation);
    }

    /// <summary>Whether the load balancer was created in this project: true for deleted load balancers too.</summary>
    public static async Task<bool> BelongsToAsync(ResourceLocations locations, IQuerySession session, string projectId, Guid loadBalancerId,
        CancellationToken cancellation) =>
        await locations.FindAsync(session, projectId, ResourceKind.LoadBalancer, loadBalancerId, cancellation) is not null;

    /// <summary>The load balancer holding a pool, also after the pool (or its load balancer) was deleted.</summary>
    public static async Task<Guid?> LoadBalancerOfPoolAsync(IQuerySession session, string projectId, Guid poolId,
        CancellationToken cancellation) =>
        (await session.Events.QueryRawEventDataOnly<BackendServerGroupCreated>()
            .Where(e => e.PoolId == poolId && e.ProjectId == projectId).ToListAsync(cancellation))
        .Select(e => (Guid?)e.LoadBalancerId).FirstOrDefault();

    private static IQueryable<IEvent> Filter(IQueryable<IEvent> events, HistoryFilter filter)
    {
        if (filter.Type is { } type) events = events.Where(e => e.EventTypeName == JsonNamingPolicy.SnakeCaseLower.ConvertName(type));
        if (filter.Since is { } since) events = events.Where(e => e.Timestamp >= since);
        if (filter.Until is { } until) events = events.Where(e => e.Timestamp <= until);
        return events;
    }

    private static int Size(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    /// <param name="pageInfo">From the page's size and, when more events follow, the page's last one.</param>
    private static IResult Page(IReadOnlyList<IEvent> events, int size, Func<int, IEvent?, HistoryPageInfo> pageInfo)
    {
        var page = events.Take(size).Select(e => new HistoryEntry(e.Version, e.Sequence, e.StreamId, e.EventType.Name,
            e.Timestamp, e.UserName, e.Headers?.GetValueOrDefault(RecordPrincipalMiddleware.Header), e.CorrelationId, e.Data)).ToList();
        return Results.Json(new HistoryPage(page, pageInfo(page.Count, events.Count > size ? events[size - 1] : null)), ElbJson.Options);
    }
}
