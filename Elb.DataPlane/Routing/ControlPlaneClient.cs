using System.Net;
using System.Net.Http.Json;
using Elb.Commands;
using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Reads routing snapshots from the gateway (all load balancers at start, one after a gap or a digest that stays
/// different), and every load balancer's digest.
/// </summary>
/// <remarks>Takes the factory rather than a typed client so Wolverine can build handlers without service location.</remarks>
public sealed class ControlPlaneClient(IHttpClientFactory clients)
{
    public const string HttpClientName = "control-plane";

    private HttpClient Http => clients.CreateClient(HttpClientName);

    private sealed record OneSnapshot(LoadBalancer LoadBalancer);

    /// <summary>A certificate an HTTPS listener presents, with its private key.</summary>
    public sealed record ListenerCertificate(Guid Id, string Domain, string Certificate, string PrivateKey);

    private sealed record CertificateBody(ListenerCertificate Certificate);

    /// <remarks>Read from the response stream as it arrives, on every core (<see cref="RoutingSnapshotReader"/>).</remarks>
    public async Task<IReadOnlyList<LoadBalancer>> GetAllAsync(CancellationToken cancellation)
    {
        using var response = await Http.GetAsync("v3/internal/routing-snapshot", HttpCompletionOption.ResponseHeadersRead, cancellation);
        response.EnsureSuccessStatusCode();
        await using var answer = await response.Content.ReadAsStreamAsync(cancellation);
        return await RoutingSnapshotReader.ReadAsync(answer, ElbJson.Options, cancellation);
    }

    private sealed record AllDigests(List<RoutingDigestEntry> LoadBalancers);

    public async Task<IReadOnlyList<RoutingDigestEntry>> GetDigestsAsync(CancellationToken cancellation)
    {
        var body = await Http.GetFromJsonAsync<AllDigests>("v3/internal/routing-digests", ElbJson.Options, cancellation);
        return body?.LoadBalancers ?? [];
    }

    public async Task<LoadBalancer?> GetAsync(Guid loadBalancerId, CancellationToken cancellation)
    {
        using var response = await Http.GetAsync($"v3/internal/routing-snapshot/{loadBalancerId}", cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<OneSnapshot>(ElbJson.Options, cancellation);
        return body?.LoadBalancer;
    }

    /// <summary>The certificate, or null when it no longer exists.</summary>
    public async Task<ListenerCertificate?> GetCertificateAsync(Guid certificateId, CancellationToken cancellation)
    {
        using var response = await Http.GetAsync($"v3/internal/certificates/{certificateId}", cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CertificateBody>(ElbJson.Options, cancellation))?.Certificate;
    }
}
