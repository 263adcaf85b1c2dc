using Elb.DataPlane.Traffic;
using System.Net.Sockets;
using Elb.Commands;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Heartbeats;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Routing;
using Wolverine;
using Wolverine.Runtime;

namespace Elb.DataPlane.HealthChecks;

/// <summary>
/// Probes every member of every pool with an enabled health monitor, as configured: TCP connect, a UDP datagram not
/// refused (UDP_CONNECT), or HTTP/HTTPS GET of <c>url_path</c> answered with one of <c>expected_codes</c>, every
/// <c>delay</c> seconds within <c>timeout</c>.
/// <c>max_retries</c> successes in a row bring a member ONLINE (one for a member it has not yet seen healthy),
/// <c>max_retries_down</c> failures in a row take it OFFLINE (<see cref="ProbeStreak"/>). A verdict applies on this node
/// at once and, whenever the control plane holds another status, is reported to it, which records it and fans it out
/// to every node: a failing member is OFFLINE everywhere within <c>delay × max_retries_down + timeout</c>, whatever
/// status it had.
/// </summary>
public sealed class HealthProber(RoutingTable table, LocalHealth health, IWolverineRuntime wolverine, HeartbeatOptions node,
    EgressGuard egress, NodeFaults faults, TimeProvider time, ILogger<HealthProber> logger) : BackgroundService
{
    private sealed record Target(string ProjectId, Guid LoadBalancerId, Guid PoolId, Guid MemberId, string Address, int Port,
        HealthCheckSettings Checks);

    private readonly Dictionary<Target, CancellationTokenSource> _running = [];
    private readonly SemaphoreSlim _changed = new(0);
    private static readonly byte[] UdpProbe = "elb-health-check"u8.ToArray();

    /// <summary>
    /// A probe needs the status line only: it reads headers (at most 16 KB of them) and never a body, and a body left
    /// unread is drained at most 16 KB deep for the connection's reuse, else the connection is closed. A member
    /// answering with an endless or huge body costs the node nothing.
    /// </summary>
    private readonly HttpClient _http = new(egress.Guard(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxResponseHeadersLength = 16,
        MaxResponseDrainSize = 16 * 1024,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }, "probe"))
    {
        MaxResponseContentBufferSize = 16 * 1024,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        table.Changed += _ => _changed.Release();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    Reconcile(table.Current, stoppingToken);
                    faults.Clear("health prober");
                }
                // Retried at the next change; the probe loops already running go on.
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    faults.Report("health prober", e);
                }
                await _changed.WaitAsync(stoppingToken);
                while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var probe in _running.Values) await probe.CancelAsync();
        }
    }

    private void Reconcile(RoutingState state, CancellationToken stoppingToken)
    {
        var wanted = state.LoadBalancers.Values.SelectMany(lb => lb.Pools
                .Where(p => p.IsMonitored)
                .SelectMany(p => p.Members.Select(m => new Target(lb.ProjectId, lb.Id, p.Id, m.Id, m.Address,
                    m.ProtocolPort, p.HealthMonitor!.Settings))))
            .ToHashSet();
        foreach (var gone in _running.Keys.Where(t => !wanted.Contains(t)).ToList())
        {
            _running[gone].Cancel();
            _running.Remove(gone);
            if (!wanted.Any(t => t.MemberId == gone.MemberId)) health.Forget(gone.MemberId);
        }
        foreach (var target in wanted.Where(w => !_running.ContainsKey(w)))
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[target] = cancel;
            _ = ProbeLoopAsync(target, cancel.Token);
        }
    }

    private async Task ProbeLoopAsync(Target target, CancellationToken cancellation)
    {
        var streak = new ProbeStreak(target.Checks);
        var part = $"probe of member {target.MemberId} ({target.Address}:{target.Port})";
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(target.Checks.Delay), time);
        try
        {
            do
            {
                // Anything unexpected (a report that cannot be published, say) is retried at the next tick: a loop
                // that ended would leave the member's status as it was, for good.
                try
                {
                    await ProbeOnceAsync(target, streak, cancellation);
                    faults.Clear(part);
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested)
                {
                    faults.Report(part, e);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellation));
        }
        catch (OperationCanceledException)
        {
        }
        faults.Clear(part);
    }

    private async Task ProbeOnceAsync(Target target, ProbeStreak streak, CancellationToken cancellation)
    {
        var healthy = await ProbeAsync(target, cancellation);
        // The member's statuses now, never a copy from the loop's start (see ProbeStreak).
        if (ControlPlaneStatus(target) is not { } controlPlane) return;
        var local = health.VerdictOn(target.MemberId) ?? controlPlane;
        if (streak.Observe(healthy, local, controlPlane) is not { } status) return;

        health.Set(target.MemberId, status);
        if (status == controlPlane) return;
        logger.LogInformation("Member {Member} at {Address}:{Port} is now {Status}", target.MemberId, target.Address,
            target.Port, status.WireName());
        await new MessageBus(wolverine).PublishAsync(new MemberHealthObserved(target.ProjectId, target.LoadBalancerId,
            target.PoolId, target.MemberId, healthy, node.NodeId, time.GetUtcNow()));
    }

    /// <summary>The member's status in the routing table now; null once it is gone (its loop is being cancelled).</summary>
    private MemberOperatingStatus? ControlPlaneStatus(Target target) =>
        table.Current.Pools.TryGetValue(target.PoolId, out var pool)
            ? pool.Members.FirstOrDefault(m => m.Id == target.MemberId)?.OperatingStatus
            : null;

    private async Task<bool> ProbeAsync(Target target, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(target.Checks.Timeout));
        // A denied destination is never probed, and so never shows as healthy.
        if (!egress.Allows(target.Address, target.Port, "probe")) return false;
        try
        {
            return target.Checks.Type switch
            {
                HealthMonitorType.Tcp => await TcpConnectsAsync(target, timeout.Token),
                HealthMonitorType.UdpConnect => await UdpAnswersAsync(target, timeout.Token, cancellation),
                HealthMonitorType.Http => await AnswersExpectedAsync(target, "http", timeout.Token),
                HealthMonitorType.Https => await AnswersExpectedAsync(target, "https", timeout.Token),
            };
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> TcpConnectsAsync(Target target, CancellationToken timeout)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(target.Address, target.Port, timeout);
        return true;
    }

    private async Task<bool> AnswersExpectedAsync(Target target, string scheme, CancellationToken timeout)
    {
        using var response = await _http.GetAsync($"{scheme}://{target.Address}:{target.Port}{target.Checks.UrlPath}",
            HttpCompletionOption.ResponseHeadersRead, timeout);
        return HealthMonitorRules.Expects(target.Checks.ExpectedCodes, (int)response.StatusCode);
    }

    /// <summary>
    /// UDP has no handshake: the member is down when its host answers a probe with ICMP port unreachable, which a
    /// connected socket reports as a refused connection; a reply, or silence until the timeout, counts as up.
    /// </summary>
    private static async Task<bool> UdpAnswersAsync(Target target, CancellationToken timeout, CancellationToken stopping)
    {
        using var udp = new Socket(SocketType.Dgram, ProtocolType.Udp);
        await udp.ConnectAsync(target.Address, target.Port, timeout);
        await udp.SendAsync(UdpProbe, SocketFlags.None, timeout);
        try
        {
            await udp.ReceiveAsync(new byte[1500], SocketFlags.None, timeout);
            return true;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return true;
        }
    }
}
