using Elb.Commands.Certificates;
using JasperFx.Events;
using Marten.Events.Aggregation;

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

/// <summary>A certificate as ELB v3 shows it: never its private key.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static CertificateResource From(Certificate c) => new(c.Id, c.ProjectId, c.Name, c.Description, "server", c.Domain,
        c.CertificatePem, true, c.ExpireTime, c.CreatedAt, c.UpdatedAt);
}
