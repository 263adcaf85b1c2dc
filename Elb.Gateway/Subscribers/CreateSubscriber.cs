using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.Messaging;
using Wolverine.Http;

namespace Elb.Gateway.Subscribers;

public static class CreateSubscriberEndpoint
{
    /// <summary>
    /// Creates a RabbitMQ user that may follow this project's public events, and answers its password once (Elb
    /// keeps no copy). Topic permissions are set before the vhost permissions: until both exist the user can do
    /// nothing, and never anything beyond its project.
    /// </summary>
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    [WolverinePost("/v3/{projectId}/elb/subscribers")]
    [ElbErrors(StatusCodes.Status503ServiceUnavailable, "ELB.BrokerManagementUnavailable", "ELB.BrokerManagementNotConfigured")]
    [ElbErrors(StatusCodes.Status409Conflict, "ELB.SubscriberLimitReached")]
    [ElbAnswer("subscriber", typeof(SubscriberCredentials), Status = StatusCodes.Status201Created)]
    public static async Task<IResult> Create(string projectId, RabbitMqManagement broker, ILogger<SubscriberCredentials> logger,
        CancellationToken cancellation)
    {
        if (!broker.IsConfigured) return SubscriberProblems.NotConfigured();
        var user = SubscriberAccount.NewUser(projectId);
        var password = SubscriberAccount.NewPassword();
        try
        {
            var existing = (await broker.ListUsersAsync(cancellation)).Count(u => SubscriberAccount.Owns(projectId, u));
            if (existing >= SubscriberAccount.MaxPerProject) return SubscriberProblems.TooMany(projectId).ToProblem();
            await broker.PutUserAsync(user, password, cancellation);
            try
            {
                await broker.PutUserLimitAsync(user, "max-connections", SubscriberAccount.MaxConnections, cancellation);
                await broker.PutTopicPermissionsAsync(user, ElbExchanges.PublicEvents, SubscriberAccount.NoRoutingKeys,
                    SubscriberAccount.BindingKeys(projectId), cancellation);
                await broker.PutPermissionsAsync(user, SubscriberAccount.OwnNames(projectId), SubscriberAccount.OwnNames(projectId),
                    SubscriberAccount.Readable(projectId), cancellation);
            }
            catch (BrokerManagementException)
            {
                await broker.DeleteUserAsync(user, CancellationToken.None);
                throw;
            }
        }
        catch (BrokerManagementException e)
        {
            logger.LogError("Subscriber {User} not created: {Error}", user, e.Message);
            return SubscriberProblems.Unavailable();
        }
        logger.LogInformation("Subscriber {User} created for project {Project}", user, projectId);
        var resource = SubscriberAccount.Resource(projectId, user, broker.VirtualHost);
        return ElbResults.Created("subscriber", new SubscriberCredentials(resource.User, password, resource.Vhost,
            resource.Exchange, resource.BindingKeyPrefix, resource.QueuePrefix));
    }
}
