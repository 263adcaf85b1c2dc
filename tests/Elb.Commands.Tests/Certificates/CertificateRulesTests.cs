using Elb.Commands.Certificates;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Elb.Tests;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Certificates;

public class CertificateRulesTests
{
    private static readonly Elb.Commands.Identity.SecretProtector Protector = new(Convert.ToBase64String(new byte[32]));
    private static readonly Guid CertificateId = Guid.Parse("0196b3a0-0000-7000-8000-0000000000c1");

    private static (CertificateCreated? Created, RuleViolation? Violation) Create(TestCertificates.Pem pem, string? domain = null,
        string? type = null, int held = 0, string? privateKey = null) =>
        CreateCertificateRules.Decide(new CreateCertificate(Project, "web", null, type, domain, pem.Certificate, privateKey ?? pem.PrivateKey),
            held, Quota.Defaults, Protector, CertificateId, Now);

    [Fact]
    public void A_certificate_keeps_its_key_sealed_takes_its_names_from_the_certificate_and_shows_when_it_expires()
    {
        var pem = TestCertificates.For("shop.example.com", Now.AddDays(90));

        var created = Create(pem).Created!;

        Assert.Equal("shop.example.com", created.Domain);
        Assert.DoesNotContain("PRIVATE KEY", created.EncryptedPrivateKey);
        Assert.Equal(pem.PrivateKey.Trim(), Protector.Unprotect(created.EncryptedPrivateKey));
        Assert.Equal(Now.AddDays(90).UtcDateTime, created.ExpireTime.UtcDateTime, TimeSpan.FromSeconds(1));
        Assert.Equal("*.example.com", Create(pem, domain: "*.example.com").Created!.Domain);
    }

    [Fact]
    public void A_key_of_another_certificate_an_expired_one_a_client_type_or_the_quota_reached_is_refused()
    {
        var pem = TestCertificates.For("shop.example.com");

        Assert.Equal("ELB.InvalidCertificate", Create(pem, privateKey: TestCertificates.For("other.example.com").PrivateKey).Violation?.ErrorCode);
        Assert.Equal("ELB.InvalidCertificate", Create(pem, privateKey: "not a key").Violation?.ErrorCode);
        Assert.Equal("ELB.CertificateExpired", Create(TestCertificates.For("old.example.com", Now.AddDays(-1))).Violation?.ErrorCode);
        Assert.Equal("ELB.UnsupportedCertificateType", Create(pem, type: "client").Violation?.ErrorCode);
        Assert.Equal("ELB.QuotaExceeded", Create(pem, held: Quota.DefaultCertificates).Violation?.ErrorCode);
    }

    [Theory]
    [InlineData("shop.example.com", "shop.example.com", true)]
    [InlineData("shop.example.com", "SHOP.example.com", true)]
    [InlineData("a.example.com,*.example.com", "b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("shop.example.com", "shop.example.org", false)]
    public void SNI_picks_a_certificate_by_exact_name_or_one_label_wildcard(string domain, string hostName, bool serves)
    {
        Assert.Equal(serves, CertificateStream.Serves(domain, hostName));
    }

    [Fact]
    public void Only_HTTPS_listeners_take_certificates_and_only_certificates_of_their_project()
    {
        var certificate = CertificateStream.Evolve(null, Create(TestCertificates.For("shop.example.com")).Created!)!;
        var known = new Dictionary<Guid, Certificate> { [certificate.Id] = certificate };

        Assert.Null(ListenerRules.CertificatesFit(Protocol.Https, certificate.Id, [certificate.Id], known));
        Assert.Equal("ELB.TlsOnlyForHttps", ListenerRules.CertificatesFit(Protocol.Http, certificate.Id, [], known)?.ErrorCode);
        Assert.Equal("ELB.CertificateNotFound", ListenerRules.CertificatesFit(Protocol.Https, Guid.NewGuid(), [], known)?.ErrorCode);
        Assert.Equal("ELB.TooManySniCertificates",
            ListenerRules.CertificatesFit(Protocol.Https, null, [.. Enumerable.Range(0, 31).Select(_ => Guid.NewGuid())], known)?.ErrorCode);
    }

    [Fact]
    public void A_certificate_a_listener_presents_cannot_be_deleted_and_its_content_never_changes()
    {
        var certificate = CertificateStream.Evolve(null, Create(TestCertificates.For("shop.example.com")).Created!)!;
        var presenting = Evolve(Created(), new ListenerCreated(ListenerId, Project, LoadBalancerId, "", "", Protocol.Https, 443, null, Now,
            null, [certificate.Id]));

        Assert.Equal("ELB.CertificateInUse",
            DeleteCertificateRules.Decide(certificate, new DeleteCertificate(certificate.Id, Project), [presenting], Now).Violation?.ErrorCode);
        Assert.NotNull(DeleteCertificateRules.Decide(certificate, new DeleteCertificate(certificate.Id, Project), [], Now).Deleted);
        Assert.Equal("ELB.CertificateNotFound",
            DeleteCertificateRules.Decide(certificate, new DeleteCertificate(certificate.Id, "other"), [], Now).Violation?.ErrorCode);
        Assert.Equal("ELB.CertificateContentImmutable", UpdateCertificateRules.Decide(certificate,
            new UpdateCertificate(certificate.Id, Project, null, null, "-----BEGIN CERTIFICATE-----", null), Now).Violation?.ErrorCode);
    }
}
