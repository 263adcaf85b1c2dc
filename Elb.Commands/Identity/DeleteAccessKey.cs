using Marten;

namespace Elb.Commands.Identity;

/// <summary><c>DELETE /v3.0/OS-CREDENTIAL/credentials/{access_key}</c>: requests signed with it fail from then on.</summary>
public sealed record DeleteAccessKey(string AccessKeyId);

public static class DeleteAccessKeyRules
{
    public static IdentityDecision Decide(AccessKeyRecord? key, DeleteAccessKey command, DateTimeOffset now) =>
        key is null
            ? RuleViolation.NotFound("Credential", command.AccessKeyId)
            : IdentityDecision.Accept(new AccessKeyDeleted(key.UserId, key.Id, now));
}

public static class DeleteAccessKeyHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(DeleteAccessKey command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var key = await session.LoadAsync<AccessKeyRecord>(command.AccessKeyId, cancellation);
        var decision = DeleteAccessKeyRules.Decide(key, command, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);

        session.Events.Append(key!.UserId, decision.Events);
        return new CommandOutcome<Guid>(key.UserId, null);
    }
}
