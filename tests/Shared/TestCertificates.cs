using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Elb.Tests;

/// <summary>Self-signed server certificates as PEM, the way a user uploads them.</summary>
public static class TestCertificates
{
    public sealed record Pem(string Certificate, string PrivateKey, string Thumbprint);

    public static Pem For(string dnsName, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using var certificate = request.CreateSelfSigned(until.AddDays(-60), until);
        return new Pem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), certificate.Thumbprint);
    }
}
