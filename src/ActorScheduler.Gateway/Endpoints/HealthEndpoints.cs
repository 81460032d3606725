using ActorScheduler.Core;
using ActorScheduler.Engine;
using ActorScheduler.Gateway.Http;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process serves HTTP) and <c>/readyz</c> (the engine answers and its database is usable). Both stay open when a
/// token is configured, and answer whatever the Host header names (see <see cref="Http.GatewayHostNames"/>):
/// orchestrators probe them without credentials by whatever address they know, and they reveal nothing about jobs.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Asked like any job, but never defined: any answer, "not found" included, proves the engine works.</summary>
    public static readonly JobId ProbeJob = JobId.Parse("_readyz-probe");

    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    private static readonly TimeSpan LongestProbe = TimeSpan.FromSeconds(5);

    public static void Map(IEndpointRouteBuilder routes, JobService jobs, TimeSpan askTimeout)
    {
        var probeTimeout = askTimeout < LongestProbe ? askTimeout : LongestProbe;
        routes.MapGet(HealthPath, () => ApiResults.Json(new HealthStatus("alive"))).WithName("Health")
            .WithTags("health").Produces<HealthStatus>();
        routes.MapGet(ReadyPath, (CancellationToken cancel) => Ready(jobs, probeTimeout, cancel)).WithName("Ready")
            .WithTags("health").Produces<HealthStatus>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Ready(JobService jobs, TimeSpan timeout, CancellationToken requestAborted)
    {
        if (jobs.Storage?.Current is { } outage)
            return NotReady($"The database is unavailable since {outage.Since:O} ({outage.Reason}).");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(timeout);
        try
        {
            await jobs.Get(ProbeJob, deadline.Token);
            return ApiResults.Json(new HealthStatus("ready"));
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException && !requestAborted.IsCancellationRequested)
        {
            return NotReady($"The scheduler did not answer within {timeout.TotalSeconds:0.#} seconds.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A probe answers with a status, not an error page: whatever broke, the node cannot serve jobs.
            return NotReady($"The scheduler could not be asked: {e.Message}");
        }
    }

    private static IResult NotReady(string detail) =>
        ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, detail + " The node is not ready.");
}
