using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Gateway.Dashboard;
using ActorScheduler.Gateway.Endpoints;
using ActorScheduler.Gateway.Http;
using ActorScheduler.Gateway.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway;

/// <summary>
/// The HTTP API of docs/API.md over a <see cref="JobService"/>. <see cref="GatewayServer"/> uses both halves;
/// a host with its own WebApplication calls <see cref="AddGateway"/> on its services and
/// <see cref="MapGateway"/> on its routes (then it, not this library, is responsible for where it binds and for
/// the Host, CORS and Origin checks GatewayServer puts in front of the routes).
/// </summary>
public static class GatewayEndpoints
{
    public const string ApiPrefix = "/api/v1";
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>Problem details, the OpenAPI document and JSON options that match CoreJson (for the schemas).</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, GatewaySettings settings)
    {
        services.AddRouting();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            // Answers are written with CoreJson.Options directly; these options describe the same dialect to
            // the OpenAPI generator and to problem details.
            json.SerializerOptions.DefaultIgnoreCondition = CoreJson.Options.DefaultIgnoreCondition;
            json.SerializerOptions.NumberHandling = CoreJson.Options.NumberHandling;
            foreach (var converter in CoreJson.Options.Converters)
                json.SerializerOptions.Converters.Add(converter);
        });
        services.AddOpenApi("v1", options => GatewayOpenApi.Configure(options, settings));
        return services;
    }

    /// <summary>
    /// Maps every path of the contract, <c>/healthz</c>, <c>/readyz</c> and <c>/openapi/v1.json</c>. When
    /// <see cref="GatewaySettings.Token"/> is set, every <c>/api</c> endpoint requires it.
    /// </summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder routes, JobService jobs, GatewaySettings settings, TimeProvider? clock = null)
    {
        var api = routes.MapGroup(ApiPrefix);
        clock ??= TimeProvider.System;
        if (settings.Token is { Length: > 0 } token)
        {
            // Added first, so it runs first: nothing is read or asked before the caller is known.
            api.AddEndpointFilter(new BearerTokenFilter(token, Sessions(settings, clock)))
                .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        }
        api.AddEndpointFilter(new ChangeAuthorFilter(tokenRequired: settings.Token is { Length: > 0 }));
        api.AddEndpointFilter(new EngineErrorFilter(settings.AskTimeout, jobs.Storage))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        JobEndpoints.Map(api.MapGroup("").WithTags("jobs"), jobs);
        JobActionEndpoints.Map(api.MapGroup("").WithTags("jobs"), jobs);
        RunEndpoints.Map(api.MapGroup("").WithTags("runs"), jobs);
        RunQueryEndpoints.Map(api.MapGroup("").WithTags("runs"), jobs);
        var runTokens = Engine.Security.RunTokens.For(settings.Token);
        ScriptEndpoints.Map(api.MapGroup("").WithTags("script API"), jobs, runTokens);
        ScheduleEndpoints.Map(api.MapGroup("").WithTags("schedules"), clock);
        ClusterEndpoints.Map(api.MapGroup("").WithTags("cluster"), jobs);
        // A run's script may use the queues with its run token, while its run runs (docs/API.md, "Script API").
        QueueEndpoints.Map(api.MapGroup("").WithTags("queues").WithMetadata(RunTokenAccepted.Instance)
            .AddEndpointFilter(new RunTokenGuard(jobs, runTokens)), jobs);
        BackupEndpoints.Map(api.MapGroup(""), jobs, routes.ServiceProvider);
        var loggers = routes.ServiceProvider.GetRequiredService<ILoggerFactory>();
        EventEndpoints.Map(api.MapGroup("").WithTags("events"), jobs, loggers.CreateLogger("ActorScheduler.Gateway.Events"));
        BoardEndpoints.Map(api.MapGroup("").WithTags("boards"), jobs, loggers.CreateLogger("ActorScheduler.Gateway.Boards"));
        DeployEndpoints.Map(routes, api.MapGroup("").WithTags("deployed scripts"), settings.Token);
        var activity = new RunActivity(jobs, clock, loggers.CreateLogger("ActorScheduler.Gateway.Dashboard"));
        routes.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(activity.Dispose);
        OverviewEndpoints.Map(api.MapGroup("").WithTags("overview"), jobs, activity);
        HealthEndpoints.Map(routes, jobs, settings.AskTimeout);
        routes.MapOpenApi("/openapi/{documentName}.json");
        return routes;
    }

    /// <summary>The dashboard's sign-in sessions, when the API has a token to sign in with.</summary>
    internal static DashboardSessions? Sessions(GatewaySettings settings, TimeProvider clock) =>
        settings is { Token: { Length: > 0 } token, Dashboard: true } ? new DashboardSessions(token, settings.SessionLifetime, clock) : null;
}
