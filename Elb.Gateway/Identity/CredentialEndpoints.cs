using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Identity;

public sealed record CreateCredentialRequest(CreateCredentialBody? Credential);

public sealed record CreateCredentialBody(string? UserId, string? Description);

/// <summary>IAM's permanent access key; <see cref="Secret"/> is set only in the answer that created it.</summary>
public sealed record CredentialResource(string Access, string? Secret, string UserId, string Description, string Status,
    DateTimeOffset CreateTime);

/// <summary>Access keys in Huawei IAM's shape (<c>/v3.0/OS-CREDENTIAL/credentials</c>).</summary>
public static class CredentialEndpoints
{
    [WolverinePost("/v3.0/OS-CREDENTIAL/credentials")]
    [ElbAnswer("credential", typeof(CredentialResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Create(CreateCredentialRequest request, HttpContext http,
        AccessRules access, IQuerySession session, IMessageBus bus, CancellationToken cancellation)
    {
        if (request.Credential is not { } body) return RuleViolation.MissingField("credential").ToProblem();
        if (!Guid.TryParse(body.UserId, out var userId)) return RuleViolation.MissingField("credential.user_id").ToProblem();
        if (await UserAccess.FindAsync(session, access, http.User, userId, UserAction.ManageKeys, cancellation) is null)
        {
            return UserStream.NotFound(userId).ToProblem();
        }
        return await bus.Execute<IssuedAccessKey>(new CreateAccessKey(userId, body.Description),
            (key, _) => Task.FromResult(ElbResults.Created("credential", new CredentialResource(key.AccessKeyId, key.SecretKey,
                key.UserId.ToString("N"), key.Description, "active", key.CreatedAt))), cancellation);
    }

    [WolverineGet("/v3.0/OS-CREDENTIAL/credentials")]
    [ElbAnswer("credentials", typeof(CredentialResource), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> List(HttpContext http, [FromQuery(Name = "user_id")] string? userId,
        AccessRules access, IQuerySession session, CancellationToken cancellation)
    {
        var id = Guid.TryParse(userId, out var parsed) ? parsed : http.User.UserIdOf()!.Value;
        var user = await UserAccess.FindAsync(session, access, http.User, id, UserAction.Read, cancellation);
        return Results.Json(new Dictionary<string, object>
        {
            ["credentials"] = (user?.AccessKeys ?? []).Select(k => Describe(user!, k)).ToList(),
        }, ElbJson.Options);
    }

    [WolverineGet("/v3.0/OS-CREDENTIAL/credentials/{accessKey}")]
    [ElbErrors(StatusCodes.Status404NotFound, "ELB.CredentialNotFound")]
    [ElbAnswer("credential", typeof(CredentialResource))]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Get(string accessKey, HttpContext http, AccessRules access,
        IQuerySession session, CancellationToken cancellation) =>
        await FindAsync(session, access, http, accessKey, UserAction.Read, cancellation) is var (user, key)
            ? ElbResults.Resource("credential", Describe(user, key))
            : RuleViolation.NotFound("Credential", accessKey).ToProblem();

    [WolverineDelete("/v3.0/OS-CREDENTIAL/credentials/{accessKey}")]
    [ElbErrors(StatusCodes.Status404NotFound, "ELB.CredentialNotFound")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.Authenticated)]
    public static async Task<IResult> Delete(string accessKey, HttpContext http, AccessRules access,
        IQuerySession session, IMessageBus bus, CancellationToken cancellation) =>
        await FindAsync(session, access, http, accessKey, UserAction.ManageKeys, cancellation) is null
            ? RuleViolation.NotFound("Credential", accessKey).ToProblem()
            : await bus.Execute<Guid>(new DeleteAccessKey(accessKey), (_, _) => Task.FromResult(Results.NoContent()), cancellation);

    private static CredentialResource Describe(User user, AccessKeySummary key) =>
        new(key.AccessKeyId, null, user.Id.ToString("N"), key.Description, "active", key.CreatedAt);

    /// <summary>The key and its user, when the caller may do <paramref name="action"/> with that user.</summary>
    private static async Task<(User, AccessKeySummary)?> FindAsync(IQuerySession session, AccessRules access,
        HttpContext http, string accessKey, UserAction action, CancellationToken cancellation)
    {
        if (accessKey.Length > 64 || await session.LoadAsync<AccessKeyRecord>(accessKey, cancellation) is not { } record) return null;
        var user = await UserAccess.FindAsync(session, access, http.User, record.UserId, action, cancellation);
        return user?.AccessKeys.FirstOrDefault(k => k.AccessKeyId == accessKey) is { } key ? (user, key) : null;
    }
}
