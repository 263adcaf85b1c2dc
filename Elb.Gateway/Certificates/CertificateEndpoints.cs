using Microsoft.AspNetCore.Mvc;
using Elb.Gateway.OpenApi;
using Elb.Commands;
using Elb.Commands.Certificates;
using Elb.Commands.Identity;
using Elb.Gateway.Identity;
using Elb.Projections;
using Elb.Projections.Certificates;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Certificates;

public sealed record CreateCertificateRequest(CreateCertificate? Certificate);

public sealed record UpdateCertificateRequest(UpdateCertificateBody? Certificate);

public sealed record UpdateCertificateBody(string? Name, string? Description, string? Certificate, string? PrivateKey);

/// <summary>What a node needs to present a certificate: the only answer that carries a private key.</summary>
public sealed record NodeCertificate(Guid Id, string Domain, string Certificate, string PrivateKey);

/// <summary>ELB v3's server certificates of a project, which HTTPS listeners present.</summary>
public static class CertificateEndpoints
{
    [WolverinePost("/v3/{projectId}/elb/certificates")]
    [ElbAnswer("certificate", typeof(CertificateResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Create(string projectId, CreateCertificateRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        request.Certificate is null
            ? Task.FromResult(RuleViolation.MissingField("certificate").ToProblem())
            : bus.Execute<Certificate>(request.Certificate with { ProjectId = projectId },
                (certificate, _) => Task.FromResult(ElbResults.Created("certificate", CertificateResource.From(certificate))),
                cancellation);

    [WolverineGet("/v3/{projectId}/elb/certificates")]
    [ElbAnswer("certificates", typeof(CertificateResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, HttpRequest request, IQuerySession session, CancellationToken cancellation)
    {
        var certificates = await session.Query<Certificate>().Where(c => c.ProjectId == projectId).ToListAsync(cancellation);
        return ElbLists.Answer(request, "certificates", certificates.Select(CertificateResource.From), c => c.Id.ToString());
    }

    [WolverineGet("/v3/{projectId}/elb/certificates/{certificateId}")]
    [ElbAnswer("certificate", typeof(CertificateResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> Get(string projectId, Guid certificateId, IQuerySession session,
        CancellationToken cancellation) =>
        await session.LoadAsync<Certificate>(certificateId, cancellation) is { } certificate && certificate.ProjectId == projectId
            ? ElbResults.Resource("certificate", CertificateResource.From(certificate))
            : CertificateStream.NotFound(certificateId).ToProblem();

    [WolverinePut("/v3/{projectId}/elb/certificates/{certificateId}")]
    [ElbAnswer("certificate", typeof(CertificateResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Update(string projectId, Guid certificateId, UpdateCertificateRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        request.Certificate is not { } body
            ? Task.FromResult(RuleViolation.MissingField("certificate").ToProblem())
            : bus.Execute<Certificate>(new UpdateCertificate(certificateId, projectId, body.Name, body.Description, body.Certificate,
                    body.PrivateKey),
                (certificate, _) => Task.FromResult(ElbResults.Resource("certificate", CertificateResource.From(certificate))),
                cancellation);

    [WolverineDelete("/v3/{projectId}/elb/certificates/{certificateId}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> Delete(string projectId, Guid certificateId, IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Guid>(new DeleteCertificate(certificateId, projectId), (_, _) => Task.FromResult(Results.NoContent()),
            cancellation);

    /// <summary>A certificate with its key, decrypted, for the node that presents it on an HTTPS listener.</summary>
    [WolverineGet("/v3/internal/certificates/{certificateId}")]
    [ElbAnswer("certificate", typeof(NodeCertificate))]
    [Authorize(Policy = ElbPolicy.DataPlane)]
    public static async Task<IResult> ForNode(Guid certificateId, IQuerySession session, SecretProtector protector,
        CancellationToken cancellation) =>
        await session.LoadAsync<Certificate>(certificateId, cancellation) is { } certificate
        && protector.Unprotect(certificate.EncryptedPrivateKey) is { } privateKey
            ? ElbResults.Resource("certificate", new NodeCertificate(certificate.Id, certificate.Domain, certificate.CertificatePem, privateKey))
            : CertificateStream.NotFound(certificateId).ToProblem();
}
