using Marten;

namespace Elb.Commands.Certificates;

/// <summary>
/// <c>PUT /v3/{project_id}/elb/certificates/{id}</c>: its name and description. The certificate and key a listener
/// presents do not change under it: to replace them, create a certificate and point the listener at it.
/// </summary>
public sealed record UpdateCertificate(Guid CertificateId, string ProjectId, string? Name, string? Description,
    string? Certificate, string? PrivateKey);

public static class UpdateCertificateRules
{
    public static (CertificateUpdated? Updated, RuleViolation? Violation) Decide(Certificate? state, UpdateCertificate command,
        DateTimeOffset now)
    {
        if (state?.ProjectId != command.ProjectId) return (null, CertificateStream.NotFound(command.CertificateId));
        if (command.Certificate is not null || command.PrivateKey is not null)
        {
            return (null, RuleViolation.Conflict("ELB.CertificateContentImmutable",
                "A certificate's content does not change; create a new certificate and set it on the listener."));
        }
        if ((command.Name?.Length ?? 0) > CertificateStream.MaxNameLength || (command.Description?.Length ?? 0) > CertificateStream.MaxNameLength)
        {
            return (null, RuleViolation.Invalid("ELB.FieldTooLong",
                $"'name' and 'description' are at most {CertificateStream.MaxNameLength} characters."));
        }
        var updated = new CertificateUpdated(state.Id, command.Name ?? state.Name, command.Description ?? state.Description, now);
        return (updated.Name, updated.Description) == (state.Name, state.Description) ? (null, null) : (updated, null);
    }
}

public static class UpdateCertificateHandler
{
    public static async Task<CommandOutcome<Certificate>> Handle(UpdateCertificate command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Certificate>(command.CertificateId, cancellation);
        var (updated, violation) = UpdateCertificateRules.Decide(stream.Aggregate, command, clock.GetUtcNow());
        if (violation is not null) return CommandOutcome<Certificate>.Refused(violation);
        if (updated is null) return new CommandOutcome<Certificate>(stream.Aggregate, null);

        stream.AppendOne(updated);
        return new CommandOutcome<Certificate>(CertificateStream.Evolve(stream.Aggregate, updated), null);
    }
}
