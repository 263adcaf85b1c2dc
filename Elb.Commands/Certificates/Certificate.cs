using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elb.Commands.Certificates;

/// <summary>
/// A server certificate of a project (ELB v3 <c>certificate</c>, type <c>server</c>): HTTPS listeners present it, the
/// default one or by SNI. The private key is kept only encrypted, and only nodes read it back.
/// </summary>
/// <param name="Domain">The names it serves by SNI, comma-separated (wildcards as <c>*.example.com</c>).</param>
public sealed record Certificate(
    Guid Id,
    string ProjectId,
    string Name,
    string Description,
    string Domain,
    string CertificatePem,
    string EncryptedPrivateKey,
    DateTimeOffset ExpireTime,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <remarks>The private key is in the event only sealed under <c>Elb:Identity:EncryptionKey</c>.</remarks>
public sealed record CertificateCreated(
    Guid CertificateId,
    string ProjectId,
    string Name,
    string Description,
    string Domain,
    string CertificatePem,
    string EncryptedPrivateKey,
    DateTimeOffset ExpireTime,
    DateTimeOffset CreatedAt);

public sealed record CertificateUpdated(Guid CertificateId, string Name, string Description, DateTimeOffset UpdatedAt);

public sealed record CertificateDeleted(Guid CertificateId, DateTimeOffset DeletedAt);

public static class CertificateStream
{
    public const int MaxNameLength = 255;

    /// <summary>A PEM chain of a few certificates fits; anything larger is not a server certificate.</summary>
    public const int MaxPemLength = 64 * 1024;

    public const int MaxDomainLength = 1024;

    public static Certificate? Evolve(Certificate? state, object @event) => (state, @event) switch
    {
        (_, CertificateCreated e) => new Certificate(e.CertificateId, e.ProjectId, e.Name, e.Description, e.Domain,
            e.CertificatePem, e.EncryptedPrivateKey, e.ExpireTime, e.CreatedAt, e.CreatedAt),
        (null, _) => null,
        (_, CertificateUpdated e) => state with { Name = e.Name, Description = e.Description, UpdatedAt = e.UpdatedAt },
        (_, CertificateDeleted) => null,
        _ => state,
    };

    public static RuleViolation NotFound(Guid id) => RuleViolation.NotFound("Certificate", id);

    /// <summary>The certificate and key as one, or why they are not a usable pair.</summary>
    public static (X509Certificate2? Certificate, RuleViolation? Violation) Parse(string certificatePem, string privateKeyPem)
    {
        try
        {
            return (X509Certificate2.CreateFromPem(certificatePem, privateKeyPem), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, RuleViolation.Invalid("ELB.InvalidCertificate",
                "'certificate' and 'private_key' must be a PEM certificate and its unencrypted PEM private key."));
        }
    }

    /// <summary>The names a certificate is for: its DNS subject alternative names, else its common name.</summary>
    public static string DomainsOf(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(san => san.EnumerateDnsNames()).ToList();
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, false) is { Length: > 0 } commonName)
        {
            names.Add(commonName);
        }
        return string.Join(',', names.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Whether a TLS client asking for <paramref name="hostName"/> (SNI) gets a certificate for <paramref name="domain"/>.</summary>
    public static bool Serves(string domain, string hostName)
    {
        foreach (var name in domain.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name.Equals(hostName, StringComparison.OrdinalIgnoreCase)) return true;
            // "*.example.com" covers exactly one more label: a.example.com, not example.com or a.b.example.com
            if (name.StartsWith("*.", StringComparison.Ordinal) && hostName.IndexOf('.') is var dot and > 0
                && hostName[(dot + 1)..].Equals(name[2..], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
