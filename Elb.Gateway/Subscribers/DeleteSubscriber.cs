using Elb.Gateway.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Wolverine.Http;

namespace Elb.Gateway.Subscribers;

public static class DeleteSubscriberEndpoint
{
    /// <summary>
    /// Deletes one of the project's subscriber users and closes its connections; its queues stay (the project's other
    /// subscribers may share them, and they hold what it has not read yet). Any other user is 404, existing or not.
    /// </summary>
    [Authorize(Policy = ElbPolicy.ProjectAdmin)]
    [WolverineDelete("/v3/{projectId}/elb/subscribers/{user}")]
    [ElbErrors(StatusCodes.Status503ServiceUnavailable, "ELB.BrokerManagementUnavailable", "ELB.BrokerManagementNotConfigured")]
    [ElbErrors(StatusCodes.Status404NotFound, "ELB.SubscriberNotFound")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public static async Task<IResult> Delete(string projectId, string user, RabbitMqManagement broker,
        ILogger<SubscriberResource> logger, CancellationToken cancellation)
    {
        if (!SubscriberAccount.Owns(projectId, user)) return RuleViolation.NotFound("Subscriber", user).ToProblem();
        if (!broker.IsConfigured) return SubscriberProblems.NotConfigured();
        try
        {
            if (!await broker.DeleteUserAsync(user, cancellation)) return RuleViolation.NotFound("Subscriber", user).ToProblem();
        }
        catch (BrokerManagementException e)
        {
            logger.LogError("Subscriber {User} not deleted: {Error}", user, e.Message);
            return SubscriberProblems.Unavailable();
        }
        logger.LogInformation("Subscriber {User} of project {Project} deleted", user, projectId);
        return Results.NoContent();
    }
}
