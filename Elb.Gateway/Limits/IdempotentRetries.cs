using System.Security.Cryptography;
using System.Text;
using Elb.Commands.Hosting;
using Elb.Gateway.Identity;
using JasperFx;
using Marten;

namespace Elb.Gateway.Limits;

/// <summary>
/// The first answer to a POST sent with an <c>Idempotency-Key</c> (or ELB's <c>X-Client-Token</c>), kept for
/// <see cref="IdempotentRetries.KeptFor"/> so that a retry is answered the same and appends nothing.
/// </summary>
/// <param name="Id">A hash of the caller, the route and the key: one caller's keys never meet another's.</param>
/// <param name="Status">0 while the first request is still running.</param>
public sealed record IdempotentAnswer(string Id, string RequestHash, int Status, string? ContentType, string? Location,
    string Body, DateTimeOffset CreatedAt)
{
    public bool IsPending => Status == 0;
}

/// <summary>
/// The guide tells clients to retry; a retried POST must not create twice. A POST with a key is answered from the
/// first answer to that key (with <c>Idempotent-Replayed: true</c>) when the body is the same, refused when it is
/// not. Only answers below 500 are kept, so a failed request runs again. The answer is stored right after the
/// command commits, not in its transaction: a gateway that dies in between runs a retry again.
/// Hand-written: ASP.NET Core has no idempotency middleware.
/// </summary>
public sealed class IdempotentRetries(RequestDelegate next, IDocumentStore store, TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>A first request running longer than this is taken to have died, and its key is free again.</summary>
    public static readonly TimeSpan PendingFor = TimeSpan.FromMinutes(1);

    public const int MaxKeyLength = 255;

    private const int MaxKeptBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var key = request.Headers["Idempotency-Key"].FirstOrDefault() ?? request.Headers["X-Client-Token"].FirstOrDefault();
        if (!HttpMethods.IsPost(request.Method) || key is null || context.User.UserIdOf() is not { } userId)
        {
            await next(context);
            return;
        }
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await ElbResults.WriteProblemAsync(context, StatusCodes.Status400BadRequest, "ELB.InvalidIdempotencyKey",
                $"An Idempotency-Key is 1 to {MaxKeyLength} printable ASCII characters without spaces.");
            return;
        }
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId:N}\n{request.Path}\n{key}")));
        var requestHash = await HashBodyAsync(request, context.RequestAborted);
        var now = clock.GetUtcNow();

        await using (var session = store.LightweightSession())
        {
            var earlier = await session.LoadAsync<IdempotentAnswer>(id, context.RequestAborted);
            if (Fresh(earlier, now) is { } answer)
            {
                await AnswerAgainAsync(context, answer, requestHash);
                return;
            }
            var pending = new IdempotentAnswer(id, requestHash, 0, null, null, "", now);
            if (earlier is null) session.Insert(pending); else session.Store(pending);
            try
            {
                await session.SaveChangesAsync(context.RequestAborted);
            }
            catch (DocumentAlreadyExistsException)
            {
                await InProgressAsync(context);
                return;
            }
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
            await using var session = store.LightweightSession();
            var response = context.Response;
            if (response.StatusCode < 500 && buffer.Length <= MaxKeptBodyBytes)
            {
                session.Store(new IdempotentAnswer(id, requestHash, response.StatusCode, response.ContentType,
                    response.Headers.Location.FirstOrDefault(), Encoding.UTF8.GetString(buffer.ToArray()), now));
            }
            else
            {
                session.Delete<IdempotentAnswer>(id);
            }
            await session.SaveChangesAsync(CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>The earlier answer that still counts: kept less than a day, or still running for less than a minute.</summary>
    public static IdempotentAnswer? Fresh(IdempotentAnswer? earlier, DateTimeOffset now) => earlier switch
    {
        null => null,
        { IsPending: true } when now - earlier.CreatedAt > PendingFor => null,
        _ when now - earlier.CreatedAt > KeptFor => null,
        _ => earlier,
    };

    private static async Task AnswerAgainAsync(HttpContext context, IdempotentAnswer answer, string requestHash)
    {
        if (answer.RequestHash != requestHash)
        {
            await ElbResults.WriteProblemAsync(context, StatusCodes.Status422UnprocessableEntity, "ELB.IdempotencyKeyReused",
                "This Idempotency-Key was sent with another request; a key names one request, and its retries.");
            return;
        }
        if (answer.IsPending)
        {
            await InProgressAsync(context);
            return;
        }
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        if (answer.Location is { } location) response.Headers.Location = location;
        response.Headers["Idempotent-Replayed"] = "true";
        await response.WriteAsync(answer.Body, context.RequestAborted);
    }

    private static Task InProgressAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return ElbResults.WriteProblemAsync(context, StatusCodes.Status409Conflict, "ELB.IdempotencyKeyInProgress",
            "A request with this Idempotency-Key is still running; retry in a moment for its answer.");
    }

    private static async Task<string> HashBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        request.EnableBuffering();
        var hash = await SHA256.HashDataAsync(request.Body, cancellation);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>Deletes kept answers older than <see cref="IdempotentRetries.KeptFor"/>, so they never grow without bound.</summary>
public sealed class IdempotentAnswerSweeper(IDocumentStore store, TimeProvider clock, ILogger<IdempotentAnswerSweeper> logger)
    : PeriodicWork(Every, clock)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    protected override async Task RunOnceAsync(CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var before = Time.GetUtcNow() - IdempotentRetries.KeptFor;
        session.DeleteWhere<IdempotentAnswer>(a => a.CreatedAt < before);
        await session.SaveChangesAsync(cancellation);
    }

    protected override void OnFailed(Exception failure) =>
        logger.LogWarning("Old idempotency answers not deleted this time: {Error}", failure.Message);
}
