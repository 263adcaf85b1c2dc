using Elb.Commands.Hosting;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elb.Commands;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.Traffic;

public sealed class TrafficOptions
{
    /// <summary>
    /// Where each load balancer's VIP is served (<c>DataPlane:VipMap</c>): none in production, where the node binds the
    /// VIPs on its interfaces; on one machine, rules onto loopback addresses of this node's own.
    /// </summary>
    public VipMap Vips { get; init; } = VipMap.None;

    public UdpRelayOptions Udp { get; init; } = new();

    public TcpRelayOptions Tcp { get; init; } = TcpRelayOptions.Default;

    /// <summary>The certificate an HTTPS listener presents where it names none of its own (<see cref="ListenerCertificates"/>).</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// <c>DataPlane:Certificate:Path</c> (a PFX file) and <c>:Password</c>; without them a self-signed certificate is
    /// generated, which clients will not trust: fine for trying Elb out, not for production.
    /// </summary>
    public static X509Certificate2 LoadCertificate(IConfiguration configuration, ILogger logger)
    {
        if (configuration["DataPlane:Certificate:Path"] is { Length: > 0 } path)
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataPlane:Certificate:Password"]);
        }
        logger.LogWarning("No DataPlane:Certificate:Path configured: HTTPS listeners use a generated self-signed certificate");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=elb-dataplane", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var generated = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(generated.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>
/// Opens a server for every HTTP, HTTPS, TCP and UDP listener of the load balancers the node carries, on its load
/// balancer's VIP (as <see cref="TrafficOptions.Vips"/> maps it), and closes it when the listener goes, as events arrive
/// and without a restart. Two projects' listeners on one port never meet: each load balancer has its own VIP. A
/// listener that cannot open, for whatever reason (port in use, address not here, a port below 1024 without the
/// right, anything unexpected), is logged, reported in heartbeats (<see cref="Unserved"/>) and in <c>/health</c>
/// (<see cref="NodeFaults"/>), and tried again with exponential backoff; the others are served meanwhile. QUIC
/// listeners are not served yet.
/// </summary>
public sealed class ListenerManager(RoutingTable table, RoutingRuntime routing, HttpListenerProxy proxy,
    MemberConnections connections, ListenerCertificates certificates, TrafficOptions options, NodeFaults faults,
    TimeProvider time, ILogger<ListenerManager> logger) : BackgroundService
{
    private sealed record ListenerKey(Guid LoadBalancerId, Guid ListenerId, Protocol Protocol, IPAddress Address, int Port);

    /// <summary>
    /// A listener that could not open is tried again after 1 s, doubling to at most a minute, not on every change (a
    /// failed try costs a host).
    /// </summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1), LongestRetry = TimeSpan.FromMinutes(1);

    private const string Reconciling = "listeners";

    private readonly Dictionary<ListenerKey, IAsyncDisposable> _open = [];
    private readonly Dictionary<ListenerKey, (DateTimeOffset RetryAt, string Reason, int Failures)> _failed = [];
    private int _reconcileFailures;

    /// <summary>The listeners this node should serve but cannot, and why: what its heartbeats tell the gateway.</summary>
    public ImmutableDictionary<Guid, string> Unserved { get; private set; } = ImmutableDictionary<Guid, string>.Empty;
    private readonly SemaphoreSlim _reconcile = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        table.Changed += _ => _reconcile.Release();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var retryIn = LongestRetry;
                try
                {
                    await ReconcileAsync(table.Current, stoppingToken);
                    faults.Clear(Reconciling);
                    _reconcileFailures = 0;
                    if (_failed.Count > 0) retryIn = _failed.Values.Min(f => f.RetryAt) - time.GetUtcNow();
                }
                // Certificates not fetched, or anything unexpected: the listeners already open go on serving.
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    faults.Report(Reconciling, e);
                    retryIn = Backoff.After(++_reconcileFailures, FirstRetry, LongestRetry);
                }
                await _reconcile.WaitAsync(retryIn < TimeSpan.Zero ? TimeSpan.Zero : retryIn, stoppingToken);
                while (_reconcile.CurrentCount > 0) await _reconcile.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var server in _open.Values) await server.DisposeAsync();
        }
    }

    private async Task ReconcileAsync(RoutingState state, CancellationToken cancellation)
    {
        await certificates.RefreshAsync(state, cancellation);
        var wanted = state.LoadBalancers.Values
            .Select(lb => (lb, address: lb.VipAddress is { } vip ? options.Vips.LocalAddress(IPAddress.Parse(vip)) : null))
            .Where(x => x.address is not null)
            .SelectMany(x => x.lb.Listeners.Where(l => ProtocolRules.ServedByNodes.Contains(l.Protocol))
                .Select(l => new ListenerKey(x.lb.Id, l.Id, l.Protocol, x.address!, l.ProtocolPort)))
            .ToHashSet();
        foreach (var gone in _open.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            await _open[gone].DisposeAsync();
            _open.Remove(gone);
            logger.LogInformation("Closed listener {Listener} on {Address}:{Port}", gone.ListenerId, gone.Address, gone.Port);
        }
        foreach (var gone in _failed.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            _failed.Remove(gone);
            faults.Clear(Part(gone));
        }
        var now = time.GetUtcNow();
        foreach (var key in wanted.Where(k => !_open.ContainsKey(k) && !(_failed.GetValueOrDefault(k).RetryAt > now)))
        {
            try
            {
                Func<PoolRuntime?> pool = () => routing.ForListener(key.LoadBalancerId, key.ListenerId);
                _open[key] = key.Protocol switch
                {
                    Protocol.Tcp => new TcpListenerProxy(key.Address, key.Port, pool, connections, options.Tcp, faults, Part(key), time),
                    Protocol.Udp => new UdpListenerProxy(key.Address, key.Port, pool, connections, options.Udp, faults, Part(key), time),
                    Protocol.Http or Protocol.Https => await OpenHttpAsync(key),
                    Protocol.Quic => throw new UnreachableException("QUIC listeners are not served (ProtocolRules.ServedByNodes)."),
                };
                _failed.Remove(key);
                faults.Clear(Part(key));
                logger.LogInformation("Opened listener {Listener} on {Address}:{Port}", key.ListenerId, key.Address, key.Port);
            }
            // Kestrel reports a port in use as an IOException, an address not on this node as a SocketException; a
            // port below 1024 without the right, or anything unexpected, must not stop the other listeners either.
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                var failures = _failed.GetValueOrDefault(key).Failures + 1;
                _failed[key] = (now + Backoff.After(failures, FirstRetry, LongestRetry), $"cannot bind {key.Address}:{key.Port}: {e.Message}", failures);
                faults.Report(Part(key), e);
            }
        }
        Unserved = _failed.ToImmutableDictionary(f => f.Key.ListenerId, f => f.Value.Reason);
    }

    /// <summary>How a listener is named in <c>/health</c> (in lower case: the health answer writes its keys in snake_case).</summary>
    private static string Part(ListenerKey key) => $"listener {key.ListenerId} ({key.Protocol.WireName().ToLowerInvariant()} {key.Address}:{key.Port})";

    private async Task<WebApplication> OpenHttpAsync(ListenerKey key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(ProxySockets.ConfigureListener);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(key.Address, key.Port, listen =>
        {
            if (key.Protocol == Protocol.Https)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, hostName) => certificates.Select(key.LoadBalancerId, key.ListenerId, hostName),
                    SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                });
            }
        }));
        var server = builder.Build();
        server.Run(context => proxy.HandleAsync(context, key.LoadBalancerId, key.ListenerId));
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
