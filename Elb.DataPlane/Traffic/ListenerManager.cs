using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.Traffic;

public sealed class TrafficOptions
{
    /// <summary>The address this node serves its listeners on: 127.0.0.1, or another loopback address for a second node.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The certificate HTTPS listeners terminate TLS with.</summary>
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
/// Opens a server for every HTTP, HTTPS, TCP and UDP listener of the load balancers the node carries, and closes it when the
/// listener goes, as events arrive and without a restart. A port that cannot be bound is logged and tried again on
/// the next change. QUIC listeners are not served yet.
/// </summary>
public sealed class ListenerManager(RoutingTable table, RoutingRuntime routing, HttpListenerProxy proxy,
    MemberConnections connections, TrafficOptions options, TimeProvider time, ILogger<ListenerManager> logger) : BackgroundService
{
    private sealed record ListenerKey(Guid LoadBalancerId, Guid ListenerId, string Protocol, int Port);

    private static readonly string[] Served = ["HTTP", "HTTPS", "TCP", "UDP"];

    /// <summary>A port that could not be bound is tried again after this, not on every change (a failed try costs a host).</summary>
    private static readonly TimeSpan RetryFailedPortAfter = TimeSpan.FromSeconds(30);

    private readonly Dictionary<ListenerKey, IAsyncDisposable> _open = [];
    private readonly Dictionary<ListenerKey, DateTimeOffset> _failed = [];
    private readonly SemaphoreSlim _reconcile = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        table.Changed += _ => _reconcile.Release();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReconcileAsync(table.Current);
                await _reconcile.WaitAsync(RetryFailedPortAfter, stoppingToken);
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

    private async Task ReconcileAsync(RoutingState state)
    {
        var wanted = state.LoadBalancers.Values
            .SelectMany(lb => lb.Listeners.Where(l => Served.Contains(l.Protocol))
                .Select(l => new ListenerKey(lb.Id, l.Id, l.Protocol, l.ProtocolPort)))
            .ToHashSet();
        foreach (var gone in _open.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            await _open[gone].DisposeAsync();
            _open.Remove(gone);
            logger.LogInformation("Closed listener {Listener} on {Address}:{Port}", gone.ListenerId, options.BindAddress, gone.Port);
        }
        var now = time.GetUtcNow();
        foreach (var key in wanted.Where(k => !_open.ContainsKey(k) && !(_failed.GetValueOrDefault(k) > now)))
        {
            try
            {
                Func<PoolRuntime?> pool = () => routing.ForListener(key.LoadBalancerId, key.ListenerId);
                _open[key] = key.Protocol switch
                {
                    "TCP" => new TcpListenerProxy(options.BindAddress, key.Port, pool, connections),
                    "UDP" => new UdpListenerProxy(options.BindAddress, key.Port, pool, connections, time),
                    _ => await OpenHttpAsync(key),
                };
                _failed.Remove(key);
                logger.LogInformation("Opened listener {Listener} on {Address}:{Port}", key.ListenerId, options.BindAddress, key.Port);
            }
            catch (IOException e)
            {
                _failed[key] = now + RetryFailedPortAfter;
                logger.LogWarning("Listener {Listener} cannot use {Address}:{Port}: {Error}", key.ListenerId, options.BindAddress,
                    key.Port, e.Message);
            }
        }
    }

    private async Task<WebApplication> OpenHttpAsync(ListenerKey key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(ProxySockets.ConfigureListener);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(options.BindAddress, key.Port, listen =>
        {
            if (key.Protocol == "HTTPS")
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = options.Certificate,
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
