using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Elb.Commands.Hosting;

/// <summary>
/// OpenTelemetry for the gateway and every node alike: metrics always, scraped as Prometheus text at <c>/metrics</c>;
/// traces, logs and metrics also pushed over OTLP where <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Without that
/// endpoint no tracer provider exists, so no span is recorded that nobody would receive.
/// </summary>
public static class ElbTelemetry
{
    /// <summary>Elb's own spans, where no library has one: the relay's publish of an event, a node's apply of it.</summary>
    public static readonly ActivitySource Source = new("Elb");

    /// <summary>
    /// Buckets for lags in seconds: a change normally crosses in milliseconds, a broker outage takes minutes (the SDK's
    /// default buckets are meant for milliseconds).
    /// </summary>
    public static readonly InstrumentAdvice<double> LagBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    };

    /// <param name="serviceName">The role, as traces and OTLP metrics name it.</param>
    /// <param name="instanceId">Which one of the role, where there are several (a node's id).</param>
    /// <param name="meters">The role's own meters.</param>
    public static IOpenTelemetryBuilder AddElbTelemetry(this IHostApplicationBuilder builder, string serviceName,
        string? instanceId, params string[] meters)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: instanceId))
            .WithMetrics(metrics => metrics
                .AddMeter(meters)
                .AddMeter("Wolverine:*", "System.Runtime")
                .AddPrometheusExporter());
        // Sources for whoever builds a tracer provider: the OTLP exporter below, or a test's own processor.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(Source.Name, "Wolverine"));
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 }) telemetry.UseOtlpExporter();
        return telemetry;
    }
}
