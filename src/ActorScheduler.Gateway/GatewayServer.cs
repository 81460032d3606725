using ActorScheduler.Engine.Telemetry;
using OpenTelemetry.Metrics;
using System.Net;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ActorScheduler.Gateway.Dashboard;
using ActorScheduler.Gateway.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway;

/// <summary>
/// The gateway as a running web server on <see cref="GatewaySettings.Host"/>:<see cref="GatewaySettings.Port"/>
/// (port 0 picks a free one; <see cref="Url"/> says which). It refuses to listen beyond loopback without a
/// token. Before any endpoint, in this order: a request whose Host is not one of the gateway's names is refused
/// (<see cref="GatewayHostNames"/>), CORS answers the listed origins if there are any, and a state-changing
/// request from a foreign page is refused (<see cref="GatewayOrigins"/>). Built on an empty WebApplication
/// builder: no appsettings or ASPNETCORE_* variables are read here, only the settings the node hands over.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    /// <summary>Bodies are job definitions and run data, all stored in the journal; larger ones are refused (413).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;

    private readonly IDisposable _jobCounts;

    private GatewayServer(WebApplication app, Uri url, IDisposable jobCounts)
    {
        (_app, _jobCounts) = (app, jobCounts);
        Url = url;
    }

    public const string MetricsPath = "/metrics";

    /// <summary>The address actually bound, e.g. <c>http://127.0.0.1:5080/</c>.</summary>
    public Uri Url { get; }

    /// <param name="configure">The host's additions before the app is built: logging providers, for instance.</param>
    /// <exception cref="InvalidOperationException">The host is not loopback and no token is configured.</exception>
    public static async Task<GatewayServer> StartAsync(
        JobService jobs, GatewaySettings settings, Action<WebApplicationBuilder>? configure = null, CancellationToken cancel = default)
    {
        var endpoint = ListenEndpoint(settings);
        var hosts = new GatewayHostNames(endpoint.Address, settings.AllowedHosts);
        var origins = new GatewayOrigins(settings.CorsOrigins);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(GatewayServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(endpoint);
        });
        builder.Services.AddGateway(settings);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(EngineMetrics.MeterName).AddPrometheusExporter());

        if (origins.Cors is { } cors)
            builder.Services.AddCors(options => options.AddDefaultPolicy(cors));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseStatusCodePages(context => DescribeEmptyAnswer(context.HttpContext));
        app.UseHostCheck(hosts);
        if (origins.Cors is not null)
            app.UseCors(); // answers preflights itself, before the origin check (a preflight is an OPTIONS, not a change)
        app.UseOriginCheck(origins);
        if (settings.Dashboard)
            app.UseDashboard(settings, GatewayEndpoints.Sessions(settings, TimeProvider.System),
                app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ActorScheduler.Gateway.Dashboard"));
        app.MapGateway(jobs, settings);
        MapMetrics(app, settings);
        try
        {
            await app.StartAsync(cancel);
        }
        catch
        {
            await app.DisposeAsync(); // e.g. the port is taken: release what was built before reporting it
            throw;
        }
        return new GatewayServer(app, new Uri(app.Urls.First()), EngineMetrics.CountJobsWith(jobs.CountByStatus));
    }

    /// <summary><c>/metrics</c> in Prometheus' text format, behind the API's token when one is set.</summary>
    private static void MapMetrics(WebApplication app, GatewaySettings settings)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (settings.Token is not { Length: > 0 } token)
            return;
        var guard = new BearerTokenFilter(token);
        endpoint.AddEndpointFilter(async (context, next) => guard.Refusal(context.HttpContext) ?? await next(context));
    }

    /// <summary>
    /// Where to listen, or why not. "localhost" is 127.0.0.1 (Kestrel cannot give "localhost" a free port);
    /// other names are refused rather than resolved, so that what is checked for loopback is what is bound.
    /// Malformed allowed-hosts and cors-origins entries are refused here too, so that a node that calls this
    /// before starting anything learns of every bad gateway setting at once.
    /// </summary>
    public static IPEndPoint ListenEndpoint(GatewaySettings settings)
    {
        GatewayHostNames.Check(settings.AllowedHosts);
        GatewayOrigins.Check(settings.CorsOrigins);
        var host = settings.Host.Trim().TrimStart('[').TrimEnd(']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : host is "*" or "+" ? IPAddress.IPv6Any
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new InvalidOperationException(
                $"actor-scheduler.gateway.host '{settings.Host}' must be an IP address (127.0.0.1, 0.0.0.0, ::1, …) or localhost.");
        if (settings.Port is < 0 or > IPEndPoint.MaxPort)
            throw new InvalidOperationException($"actor-scheduler.gateway.port {settings.Port} must be from 0 to {IPEndPoint.MaxPort}.");
        if (!IPAddress.IsLoopback(address) && GatewaySettings.TokenProblem(settings.Token,
                $"Serving the API on {settings.Host}:{settings.Port}, where anyone who reaches it could define and run jobs,") is { } problem)
            throw new InvalidOperationException(problem + " Or bind a loopback address such as 127.0.0.1.");
        return new IPEndPoint(address, settings.Port);
    }

    /// <summary>Unknown paths, methods and content types (routing's bodiless 404, 405 and 415) answer with a problem too.</summary>
    private static Task DescribeEmptyAnswer(HttpContext http)
    {
        var (status, request) = (http.Response.StatusCode, http.Request);
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Path}; {GatewayEndpoints.OpenApiPath} lists the API.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; {GatewayEndpoints.OpenApiPath} lists the API.",
            StatusCodes.Status415UnsupportedMediaType => $"Content-Type: send the body as application/json, not {request.ContentType}.",
            _ => null,
        };
        return ApiResults.Problem(status, detail).ExecuteAsync(http);
    }

    public Task StopAsync(CancellationToken cancel = default) => _app.StopAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        _jobCounts.Dispose();
        await _app.DisposeAsync();
    }
}
