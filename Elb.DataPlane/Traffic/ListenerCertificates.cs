using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elb.Commands.Certificates;
using Elb.Commands.Listeners;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// The certificates HTTPS listeners present (ELB v3 <c>default_tls_container_ref</c>, <c>sni_container_refs</c>),
/// fetched from the gateway once each (a certificate's content never changes) and dropped when no listener names them.
/// A TLS handshake picks one by the name the client asks for, without I/O.
/// </summary>
public sealed class ListenerCertificates(ControlPlaneClient controlPlane, RoutingTable table, TrafficOptions options,
    ILogger<ListenerCertificates> logger)
{
    private sealed record Held(X509Certificate2 Certificate, string Domain);

    private ImmutableDictionary<Guid, Held> _held = ImmutableDictionary<Guid, Held>.Empty;

    /// <summary>Fetches what listeners of <paramref name="state"/> name and is not held yet; a failure is tried again next time.</summary>
    public async Task RefreshAsync(RoutingState state, CancellationToken cancellation)
    {
        var named = state.LoadBalancers.Values.SelectMany(lb => lb.Listeners).Where(l => l.Protocol == Protocol.Https)
            .SelectMany(l => l.SniContainerRefs.Append(l.DefaultTlsContainerRef ?? Guid.Empty))
            .Where(id => id != Guid.Empty).ToHashSet();
        var held = _held.RemoveRange(_held.Keys.Where(id => !named.Contains(id)));
        foreach (var id in named.Where(id => !held.ContainsKey(id)))
        {
            try
            {
                if (await controlPlane.GetCertificateAsync(id, cancellation) is { } fetched)
                {
                    using var pair = X509Certificate2.CreateFromPem(fetched.Certificate, fetched.PrivateKey);
                    // Re-imported so the private key is usable by SslStream on every platform.
                    held = held.SetItem(id, new Held(X509CertificateLoader.LoadPkcs12(pair.Export(X509ContentType.Pkcs12), null),
                        fetched.Domain));
                }
            }
            catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException)
            {
                logger.LogWarning("Certificate {Certificate} not loaded, the node's own is presented meanwhile: {Error}", id, e.Message);
            }
        }
        _held = held;
    }

    /// <summary>For a TLS client of a listener asking for <paramref name="hostName"/>: an SNI certificate serving that name, else the listener's default, else the node's own.</summary>
    public X509Certificate2 Select(Guid loadBalancerId, Guid listenerId, string? hostName)
    {
        var held = _held;
        if (table.Current.LoadBalancers.GetValueOrDefault(loadBalancerId)?.FindListener(listenerId) is { } listener)
        {
            if (!string.IsNullOrEmpty(hostName))
            {
                foreach (var id in listener.SniContainerRefs)
                {
                    if (held.TryGetValue(id, out var sni) && CertificateStream.Serves(sni.Domain, hostName)) return sni.Certificate;
                }
            }
            if (listener.DefaultTlsContainerRef is { } defaultId && held.TryGetValue(defaultId, out var fallback)) return fallback.Certificate;
        }
        return options.Certificate;
    }
}
