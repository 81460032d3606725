using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// The node's OTLP export (docs/TELEMETRY.md): with an endpoint configured, a tracer provider for the
/// <see cref="EngineTracing.SourceName"/> spans (and a meter provider for <see cref="EngineMetrics.MeterName"/>) in the
/// node's host, so they live as long as the node and flush what is left when it stops. Every role makes spans: the
/// scheduler's dispatch and outcome spans, the worker's run spans.
/// </summary>
public static class EngineTelemetry
{
    public static IServiceCollection AddEngineTelemetry(this IServiceCollection services, EngineSettings settings)
    {
        var otlp = settings.Telemetry;
        if (!otlp.Enabled)
            return services;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => Describe(resource, settings));
        telemetry.WithTracing(tracing => tracing
            .AddSource(EngineTracing.SourceName)
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(otlp.SampleRatio)))
            .AddOtlpExporter(exporter => Configure(exporter, otlp, "traces")));
        if (otlp.MetricsInterval is { } interval)
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(EngineMetrics.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, otlp, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
                }));
        return services;
    }

    private static void Describe(ResourceBuilder resource, EngineSettings settings)
    {
        resource.AddService(settings.Telemetry.ServiceName, serviceNamespace: settings.SystemName,
            serviceVersion: typeof(EngineTelemetry).Assembly.GetName().Version?.ToString(3));
        var attributes = new Dictionary<string, object> { ["actorscheduler.roles"] = string.Join(",", settings.Roles.Order()) };
        if (settings.Has(NodeRoles.Worker))
            attributes[EngineTracing.WorkerTag] = settings.Worker.Name;
        resource.AddAttributes(attributes);
    }

    // Every option is set here: what the exporter would read from OTEL_EXPORTER_OTLP_* is the host's to map (hocon/base.conf).
    private static void Configure(OtlpExporterOptions exporter, OtlpSettings otlp, string signal)
    {
        exporter.Endpoint = otlp.SignalEndpoint(signal);
        exporter.Protocol = otlp.Protocol;
        exporter.Headers = otlp.Headers;
        exporter.TimeoutMilliseconds = (int)otlp.Timeout.TotalMilliseconds;
    }
}
