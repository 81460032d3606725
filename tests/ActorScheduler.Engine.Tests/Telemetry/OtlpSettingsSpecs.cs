using ActorScheduler.Engine.Hosting;
using Akka.Configuration;
using OpenTelemetry.Exporter;

namespace ActorScheduler.Engine.Tests.Telemetry;

/// <summary><c>actor-scheduler.telemetry.otlp</c>: off by default, read strictly, and where each signal goes.</summary>
public sealed class OtlpSettingsSpecs
{
    private static OtlpSettings Read(string hocon) =>
        EngineSettings.From(EngineConfig.Load(ConfigurationFactory.ParseString(hocon))).Telemetry;

    [Fact]
    public void Should_export_nothing_when_no_endpoint_is_configured()
    {
        var otlp = EngineSettings.From(EngineConfig.Load()).Telemetry;

        Assert.False(otlp.Enabled, "the files must not send telemetry anywhere by default");
        Assert.Null(otlp.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, otlp.Protocol);
        Assert.Equal(1.0, otlp.SampleRatio);
        Assert.Equal(TimeSpan.FromSeconds(60), otlp.MetricsInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), otlp.Timeout);
        Assert.Equal("actor-scheduler", otlp.ServiceName);
    }

    [Fact]
    public void Should_add_the_signal_path_to_an_http_endpoint_and_take_a_grpc_endpoint_as_given()
    {
        var http = Read("""
            actor-scheduler.telemetry.otlp { endpoint = "http://collector:4318/", protocol = "http/protobuf", headers = "api-key=secret" }
            """);
        var grpc = Read("""actor-scheduler.telemetry.otlp.endpoint = "http://collector:4317" """);

        Assert.True(http.Enabled);
        Assert.Equal((OtlpExportProtocol.HttpProtobuf, "api-key=secret"), (http.Protocol, http.Headers));
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), http.SignalEndpoint("traces"));
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), http.SignalEndpoint("metrics"));
        Assert.Equal(new Uri("http://collector:4317"), grpc.SignalEndpoint("traces"));
    }

    [Fact]
    public void Should_read_the_sample_ratio_and_leave_metrics_out_when_they_are_off()
    {
        var otlp = Read("""
            actor-scheduler.telemetry.otlp { endpoint = "https://collector:4317", sample-ratio = 0.25, metrics = off, service-name = "scheduler-eu" }
            """);

        Assert.Equal(0.25, otlp.SampleRatio);
        Assert.Null(otlp.MetricsInterval);
        Assert.Equal("scheduler-eu", otlp.ServiceName);
    }

    [Theory]
    [InlineData("""endpoint = "collector:4317" """, "endpoint")]
    [InlineData("""endpoint = "ftp://collector" """, "endpoint")]
    [InlineData("""protocol = "http/json" """, "protocol")]
    [InlineData("sample-ratio = 1.5", "sample-ratio")]
    [InlineData("sample-ratio = half", "sample-ratio")]
    [InlineData("timeout = 0s", "timeout")]
    public void Should_refuse_a_setting_it_cannot_use_naming_the_key(string setting, string key)
    {
        var refused = Assert.Throws<ConfigurationException>(() => Read($"actor-scheduler.telemetry.otlp {{ {setting} }}"));

        Assert.Contains($"actor-scheduler.telemetry.otlp.{key}", refused.Message);
    }
}
