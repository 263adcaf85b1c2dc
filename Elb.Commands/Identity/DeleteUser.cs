using Marten;

namespace Elb.Commands.Identity;

/// <summary>Deleting a user ends its access keys and role assignments with it (the read models drop them).</summary>
public sealed record DeleteUser(Guid UserId);

public static class DeleteUserRules
{
    public static IdentityDecision Decide(User? user, DeleteUser command, DateTimeOffset now) =>
        user is null ? UserStream.NotFound(command.UserId) : IdentityDecision.Accept(new UserDeleted(user.Id, now));
}

public static class DeleteUserHandler
{
    public static async Task<CommandOutcome<Guid>> Handle(DeleteUser command, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<User>(command.UserId, cancellation);
        var decision = DeleteUserRules.Decide(stream.Aggregate, command, clock.GetUtcNow());
        if (decision.Violation is { } violation) return CommandOutcome<Guid>.Refused(violation);

        stream.AppendMany(decision.Events);
        return new CommandOutcome<Guid>(command.UserId, null);
    }
}
