using System.Net;
using Elb.DataPlane.Traffic;
using Yarp.ReverseProxy.Forwarder;

// The ceiling of Elb's approach, for bench/proxy.sh: YARP's forwarder on the node's socket settings, and nothing else
// of Elb (no routing table, algorithm, stickiness, counters or connection lanes).
// Usage: Elb.Bench.BareForwarder <port> <destination>=<weight> ...
ProxySockets.UseInlineCompletions();
var port = int.Parse(args[0]);
var destinations = args[1..]
    .Select(a => a.Split('='))
    .SelectMany(d => Enumerable.Repeat(new HttpMessageInvoker(ProxySockets.NewMemberHandler()), int.Parse(d[1]))
        .Select(invoker => (Prefix: d[0], Invoker: invoker)))
    .ToArray();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
builder.WebHost.UseSockets(ProxySockets.ConfigureListener);
builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var next = 0;
app.Run(async context =>
{
    var (prefix, invoker) = destinations[(uint)Interlocked.Increment(ref next) % destinations.Length];
    await forwarder.SendAsync(context, prefix, invoker, ForwarderRequestConfig.Empty, HttpTransformer.Default);
});
await app.RunAsync();
