using Elb.Commands;

namespace Elb.Gateway.Subscribers;

public static class SubscriberProblems
{
    public static RuleViolation TooMany(string projectId) => RuleViolation.Conflict("ELB.SubscriberLimitReached",
        $"Project {projectId} already has {SubscriberAccount.MaxPerProject} subscriber users; delete one first.");

    public static IResult NotConfigured() =>
        new RuleViolation("ELB.BrokerManagementNotConfigured",
            "Subscriber credentials cannot be managed: the gateway has no RabbitMQ management API (ELB_RABBITMQ_MANAGEMENT).",
            StatusCodes.Status503ServiceUnavailable).ToProblem();

    public static IResult Unavailable() =>
        new RuleViolation("ELB.BrokerManagementUnavailable",
            "RabbitMQ's management API could not be reached or refused the request (the gateway logs why). Try again later.",
            StatusCodes.Status503ServiceUnavailable).ToProblem();
}
