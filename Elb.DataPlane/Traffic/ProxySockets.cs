using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// How the node's proxies use sockets, on both sides: the listeners' servers and the connections to members. A proxy
/// spends its time between two sockets, so these settings decide its cost per request (measured by bench/proxy.sh).
/// </summary>
public static class ProxySockets
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Completes socket operations on the epoll threads instead of handing each to the thread pool: fewer context
    /// switches per request (bench/proxy.sh: p99 from ~20 ms to ~3 ms). The runtime reads the variable when the first
    /// socket operation completes, so call this before any socket is used; set the variable to 0 to keep the default.
    /// </summary>
    public static void UseInlineCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }

    /// <summary>
    /// The proxy never blocks, so it runs on the socket's thread (sparing a thread-pool hop per read and write), and
    /// reads straight into a buffer rather than first waiting for data with an empty read (one system call less).
    /// </summary>
    public static void ConfigureListener(SocketTransportOptions sockets)
    {
        sockets.UnsafePreferInlineScheduling = true;
        sockets.WaitForDataBeforeAllocatingBuffer = false;
    }

    /// <summary>A connection pool to one member's address.</summary>
    public static SocketsHttpHandler NewMemberHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        // No tracing runs on the node: a client's trace headers pass through as they are, and the handler skips its
        // diagnostics layer on every request.
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // Backends of HTTPS pools usually present certificates of their own making, as with any load balancer.
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    };
}
