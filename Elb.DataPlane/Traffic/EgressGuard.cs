using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Elb.Commands.Egress;
using Elb.DataPlane.LoadBalancing;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// The node's own check of <see cref="EgressPolicy"/>, at the moment it would connect: proxying, TCP and UDP relays
/// and health probes ask it first, so a member that reached the node anyway (a stale snapshot, a forged message) gets
/// no socket. Each refusal is logged and counted (<c>elb_egress_refused_total</c>, by rule and purpose).
/// </summary>
public sealed class EgressGuard
{
    private readonly EgressPolicy _policy;
    private readonly ILogger<EgressGuard> _logger;
    private readonly ConcurrentDictionary<(string Rule, string Purpose), long> _refused = new();

    public EgressGuard(EgressPolicy policy, ILogger<EgressGuard> logger, IMeterFactory meters)
    {
        _policy = policy;
        _logger = logger;
        meters.Create(MemberMetrics.MeterName).CreateObservableCounter("elb.egress.refused", () => _refused.Select(r =>
                new Measurement<long>(r.Value, new KeyValuePair<string, object?>("rule", r.Key.Rule),
                    new KeyValuePair<string, object?>("purpose", r.Key.Purpose))),
            description: "Connections the node refused to open because the egress policy denies their destination");
    }

    /// <summary>Whether the node may connect to <paramref name="address"/>:<paramref name="port"/> for <paramref name="purpose"/>.</summary>
    public bool Allows(string address, int port, string purpose)
    {
        var rule = IPAddress.TryParse(address, out var ip)
            ? _policy.Refuses(ip, port)
            : new EgressRule("ELB.EgressNotAnAddress", "members are IP addresses", new IPNetwork(IPAddress.Any, 0));
        if (rule is null) return true;
        _refused.AddOrUpdate((rule.ErrorCode, purpose), 1, (_, count) => count + 1);
        _logger.LogWarning("Refused to connect to {Address}:{Port} for {Purpose}: {Rule} ({Why})", address, port, purpose,
            rule.ErrorCode, rule.Why);
        return false;
    }

    /// <summary>Makes every connection <paramref name="handler"/> opens ask first.</summary>
    public SocketsHttpHandler Guard(SocketsHttpHandler handler, string purpose)
    {
        handler.ConnectCallback = async (context, cancellation) =>
        {
            var target = context.DnsEndPoint;
            if (!Allows(target.Host, target.Port, purpose))
            {
                throw new HttpRequestException($"The egress policy denies {target.Host}:{target.Port}.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(target, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }
}
