using Elb.Commands;
using Elb.Gateway.Limits;
using Elb.Projections;
using Marten;
using Wolverine;

namespace Elb.Gateway;

public static class ElbResults
{
    /// <summary>
    /// Problems that do not come from a rule (malformed JSON, an unknown route, a crash) still get a stable
    /// <c>error_code</c> and a detail, so a client can handle every error the same way.
    /// </summary>
    /// <remarks>
    /// Every problem passes here, so here it is counted (<see cref="GatewayMetrics"/>).
    /// The official SDKs read <c>error_code</c> and <c>error_msg</c> from an error's body and <c>X-Request-Id</c> from
    /// its headers, so every problem carries both besides RFC 7807's fields, and <c>request_id</c>, which the
    /// history records as the change's request id.
    /// </remarks>
    public static void AddErrorCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey("error_code")) AddMissingErrorCode(context);
        GatewayMetrics.Refused(problem.Extensions["error_code"]?.ToString() ?? "", problem.Status);
        problem.Extensions["error_msg"] = problem.Detail;
        problem.Extensions["request_id"] = context.HttpContext.TraceIdentifier;
    }

    /// <summary>Every answer names its request, as ELB's do; the same id is in the history of what it changed.</summary>
    public static Task StampRequestId(HttpContext context, RequestDelegate next)
    {
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        return next(context);
    }

    private static void AddMissingErrorCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}";
        (problem.Extensions["error_code"], var detail) = problem.Status switch
        {
            StatusCodes.Status400BadRequest => ("ELB.MalformedRequest", $"The body of {request} is not valid JSON for this resource."),
            StatusCodes.Status404NotFound => ("ELB.NotFound", $"There is no resource at {request}."),
            StatusCodes.Status405MethodNotAllowed => ("ELB.MethodNotAllowed", $"{request} is not supported by this resource."),
            StatusCodes.Status413PayloadTooLarge => ("ELB.RequestTooLarge", $"The body of {request} is too large."),
            StatusCodes.Status415UnsupportedMediaType => ("ELB.UnsupportedMediaType",
                $"The body of {request} must be JSON with 'Content-Type: application/json'."),
            // An exception may come after the change committed: say so rather than promise nothing changed.
            _ => ("ELB.InternalError", $"{request} failed unexpectedly, and whether it changed anything is not known: read the resource before retrying (a retry with the same Idempotency-Key is safe). The trace id identifies it in the logs."),
        };
        problem.Detail = problem.Status == StatusCodes.Status400BadRequest && problem.Detail is { } parseError
            ? JsonErrors.Describe(parseError)
            : problem.Detail ?? detail;
    }

    /// <summary>
    /// Writes a problem straight to the response, for refusals made before any endpoint runs (authentication,
    /// authorization, rate limits); a 401 also says which schemes would do.
    /// </summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string errorCode, string detail)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "SDK-HMAC-SHA256, Bearer";
        }
        return new RuleViolation(errorCode, detail, status).ToProblem().ExecuteAsync(context);
    }

    /// <summary>The resource wrapped in an object named after it, as the ELB v3 API answers, with any warnings.</summary>
    public static IResult Resource(string wrapper, object resource, int status = StatusCodes.Status200OK,
        IReadOnlyList<string>? warnings = null)
    {
        var body = new Dictionary<string, object> { [wrapper] = resource };
        if (warnings is { Count: > 0 }) body["warnings"] = warnings;
        return Results.Json(body, ElbJson.Options, statusCode: status);
    }

    public static IResult Created(string wrapper, object resource, IReadOnlyList<string>? warnings = null) =>
        Resource(wrapper, resource, StatusCodes.Status201Created, warnings);

    public static IResult Page<T>(string wrapper, (List<T> Items, PageInfo PageInfo) page) =>
        Results.Json(new Dictionary<string, object> { [wrapper] = page.Items, ["page_info"] = page.PageInfo }, ElbJson.Options);

    /// <summary>
    /// Changes a located listener, pool, member or health monitor: 404 where the lookup found none (an unknown id, or
    /// another project's), otherwise runs the command made for that location and answers with
    /// <paramref name="answer"/>, which gets the outcome with the load balancer as the command left it to render from.
    /// </summary>
    public static async Task<IResult> ExecuteLocated(this IMessageBus bus, ResourceLocation? location, string resource,
        Guid id, Func<ResourceLocation, object> command, Func<CommandOutcome<Guid>, Task<IResult>> answer,
        CancellationToken cancellation) =>
        location is not null
            ? await bus.Execute(command(location), answer, cancellation)
            : RuleViolation.NotFound(resource, id).ToProblem();

    public static Task<IResult> NoContent(CommandOutcome<Guid> _) => Task.FromResult(Results.NoContent());

    /// <summary>Runs a command in-process and answers its refusal as a problem, or hands its result on.</summary>
    public static Task<IResult> Execute<T>(this IMessageBus bus, object command,
        Func<T, IReadOnlyList<string>, Task<IResult>> onAccepted, CancellationToken cancellation) =>
        bus.Execute<T>(command, outcome => onAccepted(outcome.Value!, outcome.Warnings ?? []), cancellation);

    /// <summary>As above, handing on the whole outcome: for a command on a load balancer, the state it left to render from.</summary>
    public static async Task<IResult> Execute<T>(this IMessageBus bus, object command,
        Func<CommandOutcome<T>, Task<IResult>> onAccepted, CancellationToken cancellation)
    {
        var outcome = await bus.InvokeAsync<CommandOutcome<T>>(command, cancellation);
        GatewayMetrics.CommandRan(command, outcome.Violation?.ErrorCode);
        return outcome.Violation is { } violation ? violation.ToProblem() : await onAccepted(outcome);
    }
}
