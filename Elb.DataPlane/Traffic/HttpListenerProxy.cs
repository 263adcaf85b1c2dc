using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Yarp.ReverseProxy.Forwarder;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// Serves one HTTP listener's requests: the pool's runtime chooses the member (stickiness and counters included), and
/// YARP's forwarder proxies the request to it.
/// </summary>
public sealed class HttpListenerProxy(RoutingRuntime routing, IHttpForwarder forwarder,
    MemberConnections connections)
{
    public async Task HandleAsync(HttpContext context, Guid loadBalancerId, Guid listenerId)
    {
        if (routing.ForListener(loadBalancerId, listenerId) is not { } runtime)
        {
            await Unavailable(context, "the listener has no pool");
            return;
        }
        var persistence = runtime.Route.SessionPersistence;
        // The client's address is formatted (and hashed) only where SOURCE_IP needs it: this is the request path.
        var needsAddress = runtime.Route.LbAlgorithm == LbAlgorithm.SourceIp || persistence?.Type == StickySessionType.SourceIp;
        var client = new ClientRequest(needsAddress ? context.Connection.RemoteIpAddress?.ToString() : null,
            persistence is null ? null : context.Request.Cookies[SessionAffinity.CookieName],
            persistence?.CookieName is { } appCookie ? context.Request.Cookies[appCookie] : null);
        var chosen = runtime.Choose(client);
        if (chosen < 0)
        {
            await Unavailable(context, "no backend server can take requests");
            return;
        }

        var member = runtime.Route.Members[chosen];
        var lane = connections.For(member.Id);
        using var lease = runtime.Counters[chosen].Start();
        var transformer = runtime.Affinity is null ? HttpTransformer.Default : new AffinityTransformer(runtime, member.Id, client);
        // The forwarder already stops with the client's request; the lane's token stops it when the member's connections drop.
        var error = await forwarder.SendAsync(context, runtime.Destinations[chosen], lane.Invoker,
            ForwarderRequestConfig.Empty, transformer, lane.Dropped.Token);
        if (lane.Dropped.IsCancellationRequested)
        {
            // The member's connections were cut: the client's goes too, as if it had been connected to the server.
            context.Abort();
            return;
        }
        if (error != ForwarderError.None) runtime.Counters[chosen].Failed();
    }

    private static Task Unavailable(HttpContext context, string why)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync($"503: {why}.\n");
    }

    /// <summary>
    /// YARP's default transforms (so a sticky pool, like any other, replaces the client's X-Forwarded-For, -Proto and
    /// -Host with the true values), plus the HTTP_COOKIE affinity cookie, and learning which member an APP_COOKIE value
    /// belongs to.
    /// </summary>
    private sealed class AffinityTransformer(PoolRuntime runtime, Guid member, ClientRequest client) : HttpTransformer
    {
        public override ValueTask TransformRequestAsync(HttpContext context, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellation) =>
            Default.TransformRequestAsync(context, proxyRequest, destinationPrefix, cancellation);

        public override async ValueTask<bool> TransformResponseAsync(HttpContext context, HttpResponseMessage? response,
            CancellationToken cancellation)
        {
            var proceed = await Default.TransformResponseAsync(context, response, cancellation);
            if (runtime.Affinity is not { } affinity) return proceed;
            switch (affinity.Persistence.Type)
            {
                case StickySessionType.HttpCookie:
                    // Scripts never need it, and on an HTTPS listener it never travels in clear text.
                    context.Response.Headers.Append("Set-Cookie",
                        $"{SessionAffinity.CookieName}={SessionAffinity.CookieValue(member)}; Path=/; Max-Age={(int)affinity.Timeout.TotalSeconds}; HttpOnly; SameSite=Lax{(context.Request.IsHttps ? "; Secure" : "")}");
                    break;
                case StickySessionType.AppCookie when response is not null && AppCookieSet(response, affinity.Persistence.CookieName!) is { } value:
                    affinity.Remember(client with { AppCookie = value }, member);
                    break;
            }
            return proceed;
        }

        private static string? AppCookieSet(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.Select(c => c.Split(';')[0].Split('=', 2)).FirstOrDefault(kv => kv.Length == 2 && kv[0].Trim() == name)?[1]
                : null;
    }
}
