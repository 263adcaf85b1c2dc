using System.Net.Security;
using System.Net.Sockets;
using Elb.Tests;

namespace Elb.IntegrationTests.Certificates;

/// <summary>HTTPS listeners present their own certificates: the default one, or by SNI the one for the name asked.</summary>
[Collection(GatewayCollection.Name)]
public sealed class CertificateTests(GatewayFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ElbApi _api = new(fixture.Gateway);

    private async Task<Guid> UploadAsync(TestCertificates.Pem pem) =>
        ElbApi.Id(await _api.PostAsync("elb/certificates", System.Text.Json.JsonSerializer.Serialize(new
        {
            certificate = new { name = "web", certificate = pem.Certificate, private_key = pem.PrivateKey },
        })), "certificate");

    [Fact]
    public async Task An_https_listener_presents_its_sni_certificate_for_that_name_and_its_default_one_otherwise()
    {
        var (shop, api) = (TestCertificates.For("shop.example.test"), TestCertificates.For("api.example.test"));
        var (shopId, apiId) = (await UploadAsync(shop), await UploadAsync(api));
        var shown = (await _api.GetAsync($"elb/certificates/{apiId}")).GetProperty("certificate");
        Assert.Equal("api.example.test", shown.GetProperty("domain").GetString());
        Assert.False(shown.TryGetProperty("private_key", out _));
        await using var backends = await Backends.StartAsync(1);
        await using var node = await fixture.StartDataPlaneAsync($"tls-{Guid.NewGuid():N}"[..20]);
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var poolId = await _api.CreatePoolAsync(loadBalancerId);
        await _api.AddMemberAsync(poolId, "127.0.0.1", backends.Ports[0]);
        var port = Backends.FreePort();
        await _api.PostAsync("elb/listeners",
            $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "HTTPS", "protocol_port": {{{port}}}, "default_pool_id": "{{{poolId}}}", "default_tls_container_ref": "{{{shopId}}}", "sni_container_refs": ["{{{apiId}}}"]}}""");
        await Convergence.WaitAsync(fixture, node.Admin(), loadBalancerId, Within);
        var address = node.AddressOf(await _api.VipOfAsync(loadBalancerId));

        Assert.Equal(api.Thumbprint, await PresentedAsync(address, port, "api.example.test"));
        Assert.Equal(shop.Thumbprint, await PresentedAsync(address, port, "other.example.test"));

        var problem = await _api.DeleteAsync($"elb/certificates/{apiId}", 409);
        Assert.Equal("ELB.CertificateInUse", problem.GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task Certificates_are_for_https_listeners_of_their_own_project()
    {
        var other = new ElbApi(fixture.Gateway);
        var pem = TestCertificates.For("x.example.test");
        var theirs = ElbApi.Id(await other.PostAsync("elb/certificates", System.Text.Json.JsonSerializer.Serialize(new
        {
            certificate = new { certificate = pem.Certificate, private_key = pem.PrivateKey },
        })), "certificate");
        var ours = await UploadAsync(TestCertificates.For("y.example.test"));
        var loadBalancerId = await _api.CreateLoadBalancerWithSubnetAsync();
        var before = await fixture.CountEventsAsync();

        foreach (var (protocol, certificate, status, code) in new[]
                 {
                     ("HTTPS", theirs, 404, "ELB.CertificateNotFound"),
                     ("HTTP", ours, 400, "ELB.TlsOnlyForHttps"),
                 })
        {
            var problem = await _api.PostAsync("elb/listeners",
                $$$"""{"listener": {"loadbalancer_id": "{{{loadBalancerId}}}", "protocol": "{{{protocol}}}", "protocol_port": 443, "default_tls_container_ref": "{{{certificate}}}"}}""",
                status);
            Assert.Equal(code, problem.GetProperty("error_code").GetString());
        }
        await _api.GetAsync($"elb/certificates/{theirs}", 404);
        Assert.Equal(before, await fixture.CountEventsAsync());
    }

    /// <summary>The thumbprint of the certificate the listener presents to a client asking for <paramref name="hostName"/>.</summary>
    private static async Task<string> PresentedAsync(string address, int port, string hostName)
    {
        string? presented = null;
        await Eventually.Until(async () =>
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(address, port);
                await using var tls = new SslStream(tcp.GetStream());
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = hostName,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => true,
                });
                presented = tls.RemoteCertificate is { } certificate
                    ? new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate).Thumbprint
                    : null;
                return presented is not null;
            }
            catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
            {
                return false;
            }
        }, $"{address}:{port} answers TLS for {hostName}", Within, TimeSpan.FromMilliseconds(50));
        return presented!;
    }
}
