using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Projections;
using Wolverine.Http;

namespace Elb.Gateway.Subscribers;

public static class ListSubscribersEndpoint
{
    /// <summary>The project's subscriber users, without passwords (RabbitMQ keeps only their hashes).</summary>
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    [WolverineGet("/v3/{projectId}/elb/subscribers")]
    [ElbErrors(StatusCodes.Status503ServiceUnavailable, "ELB.BrokerManagementUnavailable", "ELB.BrokerManagementNotConfigured")]
    [ElbAnswer("subscribers", typeof(SubscriberResource), Shape = ElbAnswerShape.Page)]
    public static async Task<IResult> List(string projectId, int? limit, string? marker, RabbitMqManagement broker,
        ILogger<SubscriberResource> logger, CancellationToken cancellation)
    {
        if (!broker.IsConfigured) return SubscriberProblems.NotConfigured();
        IReadOnlyList<string> users;
        try
        {
            users = await broker.ListUsersAsync(cancellation);
        }
        catch (BrokerManagementException e)
        {
            logger.LogError("Subscribers of {Project} not listed: {Error}", projectId, e.Message);
            return SubscriberProblems.Unavailable();
        }
        var mine = users.Where(u => SubscriberAccount.Owns(projectId, u)).Order(StringComparer.Ordinal)
            .Select(u => SubscriberAccount.Resource(projectId, u, broker.VirtualHost));
        return ElbResults.Page("subscribers", Paging.Page(mine, s => s.User, limit, marker));
    }
}
