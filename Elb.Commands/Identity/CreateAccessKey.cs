using Marten;

namespace Elb.Commands.Identity;

/// <summary>
/// <c>POST /v3.0/OS-CREDENTIAL/credentials</c>: a new AK/SK pair for the user. <paramref name="Given"/> is for an
/// operator's configured bootstrap pair only; the API always generates one.
/// </summary>
public sealed record CreateAccessKey(Guid UserId, string? Description, KeyPair? Given = null);

public sealed record KeyPair(string AccessKeyId, string SecretKey);

/// <summary>The pair as answered once; only the key id and the encrypted secret are kept.</summary>
public sealed record IssuedAccessKey(string AccessKeyId, string SecretKey, Guid UserId, string Description, DateTimeOffset CreatedAt);

public static class CreateAccessKeyRules
{
    /// <summary>IAM's limit: two keys per user, so one can be rotated while the other still works.</summary>
    public const int MaxKeysPerUser = 2;

    public const int MaxDescriptionLength = 255;

    public static IdentityDecision Decide(User? user, CreateAccessKey command, string accessKeyId, string encryptedSecret,
        DateTimeOffset now)
    {
        if (user is null) return UserStream.NotFound(command.UserId);
        if ((command.Description?.Length ?? 0) > MaxDescriptionLength)
        {
            return RuleViolation.Invalid("ELB.FieldTooLong", $"'credential.description' is at most {MaxDescriptionLength} characters.");
        }
        if (user.AccessKeys.Count >= MaxKeysPerUser)
        {
            return RuleViolation.Conflict("ELB.AccessKeyLimit",
                $"User {user.Id:N} already has {MaxKeysPerUser} access keys; delete one first.");
        }
        return IdentityDecision.Accept(new AccessKeyCreated(user.Id, accessKeyId, encryptedSecret, command.Description ?? "", now));
    }
}

public static class CreateAccessKeyHandler
{
    public static async Task<CommandOutcome<IssuedAccessKey>> Handle(CreateAccessKey command, IDocumentSession session,
        ICredentialGenerator generator, SecretProtector protector, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, cancellation);
        var (accessKeyId, secretKey) = command.Given is { } given ? (given.AccessKeyId, given.SecretKey)
            : (generator.AccessKeyId(), generator.SecretKey());
        var now = clock.GetUtcNow();
        var decision = CreateAccessKeyRules.Decide(stream.Aggregate, command, accessKeyId, protector.Protect(secretKey), now);
        if (decision.Violation is { } violation) return CommandOutcome<IssuedAccessKey>.Refused(violation);

        stream.AppendMany(decision.Events);
        return new CommandOutcome<IssuedAccessKey>(
            new IssuedAccessKey(accessKeyId, secretKey, command.UserId, command.Description ?? "", now), null);
    }
}
