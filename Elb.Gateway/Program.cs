using Elb.Commands;
using Elb.Commands.Messaging;
using Elb.Commands.PublicEvents;
using Elb.Commands.HealthChecks;
using Elb.Commands.Egress;
using Elb.Commands.Hosting;
using Elb.Gateway.Console;
using Elb.Gateway.Identity;
using Elb.Gateway.Limits;
using Elb.Gateway.OpenApi;
using Elb.Gateway.Projections;
using Elb.Gateway.Subscribers;
using Elb.Commands.Quotas;
using Elb.Projections;
using Elb.Projections.Quotas;
using JasperFx.Events.Daemon;
using Marten;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;
using Wolverine.RabbitMQ;

namespace Elb.Gateway;

public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var postgres = builder.Configuration.Required("ELB_POSTGRES");
        var rabbitMq = builder.Configuration.Required("ELB_RABBITMQ");
        var schema = builder.Configuration["Elb:Schema"] ?? "elb";
        var dataPlaneUser = new DataPlaneUser(builder.Configuration["Broker:DataPlaneUser"] is { Length: > 0 } user
            ? user
            : DataPlaneUser.Default);

        builder.Services.AddSingleton(dataPlaneUser);
        builder.Services.AddBrokerManagement(builder.Configuration, rabbitMq);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(EgressPolicy.From(builder.Configuration));
        builder.Services.AddSingleton<IProjectUsage, ProjectUsageQuery>();
        builder.Services.AddSingleton<Elb.Commands.Inventory.IServerMembership, Elb.Projections.Inventory.ServerMembershipQuery>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Elb:Locations").Get<ResourceLocationCacheOptions>()
            ?? new ResourceLocationCacheOptions());
        builder.Services.AddSingleton<ResourceLocations>();
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ElbResults.AddErrorCode);
        builder.Services.ConfigureHttpJsonOptions(json => ElbJson.Configure(json.SerializerOptions));
        builder.Services.AddHealthChecks()
            .AddCheck("postgresql", new PostgresHealthCheck(postgres))
            .AddCheck("rabbitmq", new RabbitMqHealthCheck(rabbitMq))
            .AddCheck<ProjectionLagHealthCheck>("projections");

        builder.AddElbTelemetry("elb-gateway", instanceId: null, GatewayMetrics.MeterName, LoadBalancerEventRelay.MeterName);
        // A request's trace: the endpoint, the command's statements (Npgsql), Marten's and the broker management calls.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource("Marten", "Npgsql")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation());
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
            .AddMeter("Npgsql")
            .AddAspNetCoreInstrumentation());

        builder.Services.AddMarten(options => options.ConfigureElbStore(LockWait.Bounded(postgres, builder.Configuration), schema))
            .UseLightweightSessions()
            .IntegrateWithWolverine()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .SubscribeToEventsWithServices<LoadBalancerEventRelay>(ServiceLifetime.Singleton);
        builder.Services.AddSingleton(services => new PublicEventPublisher(new Uri(rabbitMq),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<PublicEventPublisher>>()));

        builder.Host.UseWolverine(options =>
        {
            options.ApplicationAssembly = typeof(Program).Assembly;
            options.Discovery.IncludeAssembly(typeof(ElbJson).Assembly);
            options.Policies.AutoApplyTransactions();
            // a typed HttpClient is built by IHttpClientFactory, which Wolverine's generated code cannot inline
            options.CodeGeneration.AlwaysUseServiceLocationFor<RabbitMqManagement>();
            options.EnableRelayOfUserName = true;
            options.UseElbRabbitMq(rabbitMq).ProvisionElbTopology().ConfirmPublishes();
            options.PublishMessagesToRabbitMqExchange<LoadBalancerChanges>(ElbExchanges.InternalChanges, m => m.RoutingKey);
            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
            // Which RabbitMQ user published a heartbeat or health report decides whether it is recorded (AmqpUserId).
            options.ListenToRabbitQueue(DataPlaneHeartbeat.Queue).ReadingUserId();
            options.ListenToRabbitQueue(MemberHealthObserved.Queue).ReadingUserId();
            options.Policies.AddMiddleware(typeof(RecordPrincipalMiddleware),
                chain => chain.MessageType.Assembly == typeof(ElbJson).Assembly);
            options.Policies.AddMiddleware(typeof(EventTraceContext), chain => chain.MessageType.Assembly == typeof(ElbJson).Assembly);
            options.Policies.AddMiddleware(typeof(NodeFeed), chain => chain.MessageType.Assembly == typeof(ElbJson).Assembly);
        });
        builder.Services.AddWolverineHttp();
        builder.Services.AddElbIdentity(builder.Configuration, postgres, schema);
        builder.Services.AddElbOpenApi();
        builder.Services.AddProjectRateLimits(builder.Configuration);
        builder.Services.AddExceptionHandler<LockWait>();
        builder.Services.AddExceptionHandler<StoreUnavailable>();
        builder.Services.ConfigureMarten(options => options.Schema.For<IdempotentAnswer>().Index(a => a.CreatedAt));
        builder.Services.AddHostedService<IdempotentAnswerSweeper>();

        var app = builder.Build();
        app.Use(ElbResults.StampRequestId);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var callers = app.Services.GetRequiredService<CallerRateLimit>();
        app.Use(callers.InvokeAsync);
        app.UseMiddleware<RequestShape>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<IdempotentRetries>();
        app.MapWolverineEndpoints(endpoints => endpoints.RejectUnparseableQueryValues = true);
        app.MapElbHealth();
        // Operators' numbers, on the API's own port: a token of a system role, which Prometheus sends as a bearer token.
        app.MapPrometheusScrapingEndpoint().RequireAuthorization(ElbPolicy.SystemRead);
        app.MapElbOpenApi();
        app.MapElbConsole();
        await app.RunAsync();
    }
}
