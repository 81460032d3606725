using System.Globalization;
using ActorScheduler.Engine.Configuration;
using Akka.Configuration;
using OpenTelemetry.Exporter;

namespace ActorScheduler.Engine.Hosting;

/// <summary>
/// <c>actor-scheduler.telemetry.otlp</c>: where this node exports its traces (and metrics) over OTLP, if anywhere
/// (docs/TELEMETRY.md). <paramref name="Endpoint"/> null: no export, and no span is ever made.
/// </summary>
/// <param name="Endpoint">The collector's base address; for http/protobuf the signal's path (<c>v1/traces</c>, <c>v1/metrics</c>) is added.</param>
/// <param name="Headers">Sent with every export: <c>key=value</c> pairs separated by commas, as in OTEL_EXPORTER_OTLP_HEADERS.</param>
/// <param name="SampleRatio">The share of traces recorded (parent-based: a run's spans follow its dispatch span's decision).</param>
/// <param name="MetricsInterval">How often the engine's metrics are exported; null: metrics are not exported over OTLP.</param>
public sealed record OtlpSettings(
    Uri? Endpoint, OtlpExportProtocol Protocol, string Headers, TimeSpan Timeout, double SampleRatio, TimeSpan? MetricsInterval, string ServiceName)
{
    /// <summary>The protocol names of the OTLP exporter specification (OTEL_EXPORTER_OTLP_PROTOCOL).</summary>
    public static readonly IReadOnlyDictionary<string, OtlpExportProtocol> Protocols = new Dictionary<string, OtlpExportProtocol>
    {
        ["grpc"] = OtlpExportProtocol.Grpc,
        ["http/protobuf"] = OtlpExportProtocol.HttpProtobuf,
    };

    public bool Enabled => Endpoint is not null;

    public static OtlpSettings From(Config config)
    {
        var otlp = new ConfigSection(config, "actor-scheduler.telemetry.otlp");
        var endpoint = otlp.String("endpoint").Trim();
        Uri? uri = null;
        if (endpoint.Length > 0 && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            throw new ConfigurationException($"{otlp.Path}.endpoint must be an http:// or https:// address (e.g. http://collector:4317); got '{endpoint}'.");
        var protocol = otlp.String("protocol").Trim().ToLowerInvariant();
        if (!Protocols.TryGetValue(protocol, out var parsed))
            throw new ConfigurationException($"{otlp.Path}.protocol must be one of {string.Join(", ", Protocols.Keys)}; got '{protocol}'.");
        var ratioText = otlp.String("sample-ratio");
        if (!double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio is < 0 or > 1)
            throw new ConfigurationException($"{otlp.Path}.sample-ratio must be a number from 0 to 1; got '{ratioText}'.");
        var serviceName = otlp.String("service-name").Trim();
        if (serviceName.Length == 0)
            throw new ConfigurationException($"{otlp.Path}.service-name must not be empty.");
        return new OtlpSettings(uri, parsed, otlp.String("headers").Trim(), otlp.PositiveDuration("timeout"), ratio,
            otlp.Bool("metrics") ? otlp.PositiveDuration("metrics-interval") : null, serviceName);
    }

    /// <summary>Where one signal (<c>traces</c>, <c>metrics</c>) goes: the endpoint as given for gRPC, its path under it for HTTP.</summary>
    public Uri SignalEndpoint(string signal) =>
        Endpoint is not { } endpoint ? throw new InvalidOperationException("No OTLP endpoint is configured.")
        : Protocol == OtlpExportProtocol.Grpc ? endpoint
        : new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1/" + signal);
}
