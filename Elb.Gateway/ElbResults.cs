using Elb.Commands;
using Microsoft.AspNetCore.Http;

namespace Elb.Gateway;

public static class ElbResults
{
    /// <summary>
    /// Problems that do not come from a rule (malformed JSON, an unknown route, a crash) still get a stable
    /// <c>error_code</c>, so a client can branch on every error the same way.
    /// </summary>
    public static void AddErrorCode(ProblemDetailsContext context)
    {
        var extensions = context.ProblemDetails.Extensions;
        if (extensions.ContainsKey("error_code")) return;
        extensions["error_code"] = context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest => "ELB.MalformedRequest",
            StatusCodes.Status404NotFound => "ELB.NotFound",
            StatusCodes.Status405MethodNotAllowed => "ELB.MethodNotAllowed",
            StatusCodes.Status409Conflict => "ELB.Conflict",
            _ => "ELB.InternalError",
        };
    }

    /// <summary>An RFC 7807 answer carrying the violation's stable <c>error_code</c>.</summary>
    public static IResult ToProblem(this RuleViolation violation) => Results.Problem(
        statusCode: violation.Status,
        title: violation.ErrorCode,
        detail: violation.Message,
        type: $"https://elb.dev/errors/{violation.ErrorCode}",
        extensions: new Dictionary<string, object?> { ["error_code"] = violation.ErrorCode });

    /// <summary>201 with the resource wrapped in an object named after it, as the ELB v3 API answers.</summary>
    public static IResult Created(string wrapper, object resource) =>
        Results.Json(new Dictionary<string, object> { [wrapper] = resource }, ElbJson.Options, statusCode: 201);

    public static IResult Ok(string wrapper, object resource) =>
        Results.Json(new Dictionary<string, object> { [wrapper] = resource }, ElbJson.Options);
}
