using Elb.Commands.LoadBalancers;
using Microsoft.AspNetCore.Http;

namespace Elb.Commands;

/// <summary>
/// Why a command was refused: a stable <see cref="ErrorCode"/> for programs, a <see cref="Message"/> for people,
/// and the HTTP status that fits. A refused command appends nothing.
/// </summary>
public sealed record RuleViolation(string ErrorCode, string Message, int Status)
{
    public static RuleViolation Invalid(string errorCode, string message) => new(errorCode, message, 400);

    public static RuleViolation NotFound(string resource, object id) =>
        new($"ELB.{resource}NotFound", $"{resource} {id} does not exist.", 404);

    public static RuleViolation Conflict(string errorCode, string message) => new(errorCode, message, 409);

    public static RuleViolation MissingField(string field) =>
        Invalid("ELB.MissingField", $"The field '{field}' is required.");
}

public static class Problems
{
    /// <summary>An RFC 7807 answer carrying the violation's stable <c>error_code</c>: how every Elb process refuses.</summary>
    public static IResult ToProblem(this RuleViolation violation) => Results.Problem(
        statusCode: violation.Status,
        title: violation.ErrorCode,
        detail: violation.Message,
        type: $"https://elb.dev/errors/{violation.ErrorCode}",
        extensions: new Dictionary<string, object?> { ["error_code"] = violation.ErrorCode });
}

/// <summary>The result of a pure decision: the events to append (and what the caller should be warned of), or the rule it would break.</summary>
public readonly record struct Decision(
    IReadOnlyList<ILoadBalancerEvent> Events,
    RuleViolation? Violation,
    IReadOnlyList<string> Warnings)
{
    public static Decision Accept(params ILoadBalancerEvent[] events) => new(events, null, []);

    public static Decision Accept(IEnumerable<ILoadBalancerEvent> events, IReadOnlyList<string>? warnings = null) =>
        new([.. events], null, warnings ?? []);

    public static implicit operator Decision(RuleViolation violation) => new([], violation, []);
}

/// <summary>
/// What a command handler answers: the resource it touched, or why it refused; for a command on a load balancer, the
/// load balancer as the command left it (<see cref="After"/>, null once deleted), which the answer is rendered from.
/// </summary>
public sealed record CommandOutcome<T>(T? Value, RuleViolation? Violation, IReadOnlyList<string>? Warnings = null,
    LoadBalancer? After = null)
{
    public static CommandOutcome<T> Refused(RuleViolation violation) => new(default, violation);
}
