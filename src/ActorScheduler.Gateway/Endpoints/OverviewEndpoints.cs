using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Gateway.Dashboard;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>The cluster at a glance: <c>/api/v1/stats</c> (jobs by status, the last hour's runs) and <c>/api/v1/workers</c>.</summary>
internal static class OverviewEndpoints
{
    public static void Map(IEndpointRouteBuilder api, JobService jobs, RunActivity activity)
    {
        api.MapGet("/stats", () =>
        {
            var (minutes, position) = activity.Snapshot();
            return ApiResults.Json(new Stats(jobs.CountByStatus(), minutes, position));
        }).WithName("GetStats").Produces<Stats>();
        api.MapGet("/workers", async (CancellationToken cancel) => ApiResults.Json(new WorkerList(await jobs.Workers(cancel))))
            .WithName("ListWorkers").Produces<WorkerList>();
    }
}

/// <summary>
/// Jobs by status (from the job index), and per minute of the last hour the runs that finished, succeeded, failed and
/// the occurrences skipped; <paramref name="Position"/> is the journal position counted up to (a live reader of
/// <c>/api/v1/events</c> continues from there).
/// </summary>
internal sealed record Stats(IReadOnlyDictionary<string, long> Jobs, IReadOnlyList<ActivityMinute> Activity, long Position);

internal sealed record WorkerList(IReadOnlyList<WorkerView> Items);
