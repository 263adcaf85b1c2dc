using Elb.Commands.Identity;
using Elb.Commands.Quotas;
using Marten;

namespace Elb.Commands.Certificates;

/// <summary><c>POST /v3/{project_id}/elb/certificates</c>: a PEM certificate and its key; ELB v3's <c>server</c> type only.</summary>
public sealed record CreateCertificate(
    string ProjectId,
    string? Name,
    string? Description,
    string? Type,
    string? Domain,
    string? Certificate,
    string? PrivateKey);

public static class CreateCertificateRules
{
    public static (CertificateCreated? Created, RuleViolation? Violation) Decide(CreateCertificate command, int held,
        Quota quota, SecretProtector protector, Guid id, DateTimeOffset now)
    {
        if (command.Type is { } type && type != "server")
        {
            return (null, RuleViolation.Invalid("ELB.UnsupportedCertificateType",
                $"Certificate type '{type}' is not supported; Elb serves 'server' certificates."));
        }
        if (string.IsNullOrWhiteSpace(command.Certificate)) return (null, RuleViolation.MissingField("certificate.certificate"));
        if (string.IsNullOrWhiteSpace(command.PrivateKey)) return (null, RuleViolation.MissingField("certificate.private_key"));
        if ((command.Name?.Length ?? 0) > CertificateStream.MaxNameLength
            || (command.Description?.Length ?? 0) > CertificateStream.MaxNameLength
            || (command.Domain?.Length ?? 0) > CertificateStream.MaxDomainLength
            || command.Certificate.Length > CertificateStream.MaxPemLength || command.PrivateKey.Length > CertificateStream.MaxPemLength)
        {
            return (null, RuleViolation.Invalid("ELB.FieldTooLong",
                $"'name' and 'description' are at most {CertificateStream.MaxNameLength} characters, 'domain' {CertificateStream.MaxDomainLength}, 'certificate' and 'private_key' {CertificateStream.MaxPemLength}."));
        }
        var (parsed, invalid) = CertificateStream.Parse(command.Certificate, command.PrivateKey);
        if (invalid is not null) return (null, invalid);
        using var certificate = parsed!;
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            return (null, RuleViolation.Invalid("ELB.CertificateExpired", $"The certificate expired at {certificate.NotAfter.ToUniversalTime():O}."));
        }
        if (quota.Certificate != Quota.Unlimited && held + 1 > quota.Certificate)
        {
            return (null, RuleViolation.Conflict("ELB.QuotaExceeded",
                $"The project's quota 'certificate' is {quota.Certificate}; this change would make it {held + 1}."));
        }
        var domain = string.IsNullOrWhiteSpace(command.Domain) ? CertificateStream.DomainsOf(certificate) : command.Domain.Trim();
        return (new CertificateCreated(id, command.ProjectId, command.Name ?? "", command.Description ?? "", domain,
            command.Certificate.Trim(), protector.Protect(command.PrivateKey.Trim()), certificate.NotAfter.ToUniversalTime(), now), null);
    }
}

public static class CreateCertificateHandler
{
    public static async Task<CommandOutcome<Certificate>> Handle(CreateCertificate command, IDocumentSession session,
        SecretProtector protector, TimeProvider clock, CancellationToken cancellation)
    {
        // The project's stream lock orders creations in one project, so its certificate quota holds exactly.
        var project = await session.Events.FetchForExclusiveWriting<Project>(ProjectStream.Key(command.ProjectId), cancellation);
        var held = await session.Query<Certificate>().CountAsync(c => c.ProjectId == command.ProjectId, cancellation);
        var (created, violation) = CreateCertificateRules.Decide(command, held, QuotaRules.Of(project.Aggregate), protector,
            Guid.CreateVersion7(), clock.GetUtcNow());
        if (violation is not null) return CommandOutcome<Certificate>.Refused(violation);

        session.Events.StartStream<Certificate>(created!.CertificateId, created);
        return new CommandOutcome<Certificate>(CertificateStream.Evolve(null, created), null);
    }
}
