using Elb.Commands.Certificates;
using JasperFx.Events;
using Marten.Events.Aggregation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elb.Projections.Certificates;

public sealed class CertificateProjection : SingleStreamProjection<Certificate, Guid>
{
    public CertificateProjection()
    {
        IncludeType<CertificateCreated>();
        IncludeType<CertificateUpdated>();
        IncludeType<CertificateDeleted>();
    }

    public override Certificate? Evolve(Certificate? snapshot, Guid id, IEvent e) => CertificateStream.Evolve(snapshot, e.Data);
}

/// <summary>A certificate as ELB v3 shows it, with what ELB reads from its content: never its private key.</summary>
public sealed record CertificateResource(
    Guid Id,
    string ProjectId,
    string Name,
    string Description,
    string Type,
    string Domain,
    string Certificate,
    bool AdminStateUp,
    DateTimeOffset ExpireTime,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string CommonName,
    string Fingerprint,
    IReadOnlyList<string> SubjectAlternativeNames,
    string Source = "elb")
{
    public static CertificateResource From(Certificate c)
    {
        using var content = X509Certificate2.CreateFromPem(c.CertificatePem);
        return new(c.Id, c.ProjectId, c.Name, c.Description, "server", c.Domain, c.CertificatePem, true, c.ExpireTime,
            c.CreatedAt, c.UpdatedAt, content.GetNameInfo(X509NameType.SimpleName, false),
            content.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
            [.. content.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => san.EnumerateDnsNames())]);
    }
}
