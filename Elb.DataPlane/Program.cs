using Elb.Commands;
using Elb.Commands.Hosting;
using Elb.Commands.Messaging;
using Elb.Commands.Egress;
using Elb.Commands.HealthChecks;
using Elb.Commands.Identity;
using Elb.Commands.LoadBalancers;
using Elb.Signing;
using Elb.DataPlane.HealthChecks;
using Elb.DataPlane.Heartbeats;
using Elb.DataPlane.Messaging;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Routing;
using Elb.DataPlane.Sessions;
using Elb.DataPlane.Traffic;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace Elb.DataPlane;

public sealed class Program
{
    public static async Task Main(string[] args)
    {
        ProxySockets.UseInlineCompletions();
        var builder = WebApplication.CreateBuilder(args);
        // The nodes' own RabbitMQ user (scripts/broker-setup.py); ELB_RABBITMQ only where one user does everything.
        var rabbitMq = builder.Configuration["ELB_RABBITMQ_DATAPLANE"] is { Length: > 0 } dataPlaneUri
            ? dataPlaneUri
            : builder.Configuration.Required("ELB_RABBITMQ");
        var brokerUser = AmqpUserId.UserOf(rabbitMq);
        var nodeId = builder.Configuration["DataPlane:NodeId"] ?? "node1";
        var gatewayUrl = builder.Configuration["DataPlane:GatewayUrl"] ?? "http://127.0.0.1:5080";
        var queue = $"elb.dataplane.{nodeId}";
        // The node's own credentials (a user holding elb_dataplane): it signs every call to the gateway with them.
        var accessKey = builder.Configuration.Required("DataPlane:AccessKey");
        var secretKey = builder.Configuration.Required("DataPlane:SecretKey");

        builder.AddElbTelemetry("elb-dataplane", nodeId, MemberMetrics.MeterName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IRandomSource>(SharedRandomSource.Instance);
        builder.Services.AddSingleton<RoutingTable>();
        builder.Services.AddSingleton<LocalHealth>();
        builder.Services.AddSingleton<NodeFaults>();
        builder.Services.AddSingleton(StickyTableOptions.From(builder.Configuration));
        builder.Services.AddSingleton<RoutingRuntime>();
        builder.Services.AddHostedService<StickySessionSweeper>();
        builder.Services.AddSingleton<MemberMetrics>();
        builder.Services.AddSingleton<ConvergenceMetrics>();
        builder.Services.AddHostedService<HealthProber>();
        builder.Services.AddSingleton(new HeartbeatOptions
        {
            NodeId = nodeId,
            AdminUrl = builder.Configuration["Urls"]?.Split(';')[0] ?? "",
            Interval = TimeSpan.FromSeconds(builder.Configuration.GetValue("DataPlane:HeartbeatSeconds", 3.0)),
        });
        builder.Services.AddHostedService<HeartbeatSender>();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(sp => new TrafficOptions
        {
            Vips = VipMap.Parse(builder.Configuration.GetSection("DataPlane:VipMap").Get<string[]>()
                ?? (builder.Configuration["DataPlane:VipMap"] is { } rules ? [rules] : [])),
            Udp = UdpRelayOptions.From(builder.Configuration),
            Tcp = TcpRelayOptions.From(builder.Configuration),
            Certificate = TrafficOptions.LoadCertificate(builder.Configuration, sp.GetRequiredService<ILogger<TrafficOptions>>()),
        });
        builder.Services.AddSingleton(EgressPolicy.From(builder.Configuration));
        builder.Services.AddSingleton<EgressGuard>();
        builder.Services.AddSingleton<MemberConnections>();
        builder.Services.AddSingleton<HttpListenerProxy>();
        builder.Services.AddSingleton<ListenerCertificates>();
        builder.Services.AddSingleton<ListenerManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListenerManager>());
        builder.Services.AddSingleton<ControlPlaneClient>();
        builder.Services.AddHttpClient(ControlPlaneClient.HttpClientName, http =>
        {
            http.BaseAddress = new Uri(gatewayUrl.TrimEnd('/') + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        }).AddHttpMessageHandler(sp => new SdkSigningHandler(accessKey, secretKey, sp.GetRequiredService<TimeProvider>()));
        // The admin API reads bodies as the gateway does (/simulate's client_ips): snake_case.
        builder.Services.ConfigureHttpJsonOptions(json => ElbJson.Configure(json.SerializerOptions));
        builder.Services.AddNodeAdminAuthentication(builder.Configuration);
        builder.Services.AddSingleton(DigestCheckOptions.From(builder.Configuration));
        builder.Services.AddHostedService<DigestReconciler>();
        builder.Services.AddSingleton(GapGraceOptions.From(builder.Configuration));
        builder.Services.AddSingleton<GapGrace>();
        builder.Services.AddSingleton<InitialSnapshotLoader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InitialSnapshotLoader>());
        builder.Services.AddHealthChecks()
            .AddCheck("rabbitmq", new RabbitMqHealthCheck(rabbitMq))
            .AddCheck<RoutingStateLoadedCheck>("routing_state")
            .AddCheck<NodeFaultsCheck>("faults");

        // The node declares its own queue and binding, and nothing else: its RabbitMQ user may configure only
        // elb.dataplane.* queues, and publish only to the heartbeat and health-report exchanges. Before the host is
        // built, so that it also happens where a test host runs this method only up to Build().
        await ChangeFeedQueue.DeclareAsync(rabbitMq, queue, CancellationToken.None);

        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            options.UseElbRabbitMq(rabbitMq);
            // Inline and one at a time: a load balancer's events must be applied in the order they arrive.
            options.ListenToRabbitQueue(queue).ProcessInline().Sequential();
            // user_id lets the gateway tell a node's reports from anyone else's (RabbitMQ checks it on publish).
            options.PublishMessage<DataPlaneHeartbeat>().ToRabbitExchange(ElbExchanges.Heartbeats).StampedWithUserId(brokerUser);
            options.PublishMessage<MemberHealthObserved>().ToRabbitExchange(ElbExchanges.HealthReports).StampedWithUserId(brokerUser);
            options.OnException<HttpRequestException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
                .Then.Requeue();
        });

        var app = builder.Build();
        // Observable instruments exist once their owner does: before the first scrape, not at the first change.
        app.Services.GetRequiredService<MemberMetrics>();
        app.Services.GetRequiredService<ConvergenceMetrics>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapElbHealth();
        app.MapRouting(nodeId);
        await app.RunAsync();
    }
}

/// <summary>A node is ready only once it holds the control plane's state, not merely its own empty tables.</summary>
public sealed class RoutingStateLoadedCheck(InitialSnapshotLoader loader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation) =>
        Task.FromResult(loader.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the routing snapshot has not been loaded from the control plane yet"));
}
