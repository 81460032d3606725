using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// The run history of every job: <c>GET /api/v1/runs</c>, newest first, a page at a time, from the runs read model.
/// <see cref="Query"/> reads the parameters <c>GET /api/v1/jobs/{id}/runs</c> shares with it.
/// </summary>
internal sealed class RunQueryEndpoints(JobService jobs)
{
    public const int DefaultPageSize = 100;

    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        var endpoints = new RunQueryEndpoints(jobs);
        api.MapGet("/runs", endpoints.List).WithName("ListRuns")
            .Produces<RunList>().ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private async Task<IResult> List(string? status, string? jobId, string? worker, string? trigger, string? from, string? to, string? limit,
        string? after, string? output, CancellationToken cancel)
    {
        var job = ApiInput.Text(jobId, "jobId") is { } id ? ApiInput.JobId(id, "jobId") : (JobId?)null;
        var page = await jobs.ListRuns(Query(job, status, worker, trigger, from, to, limit, after, output), cancel);
        return ApiResults.Json(new RunList(page.Items, page.Next));
    }

    /// <summary>
    /// A run list's query parameters, each checked (a 400 names the one at fault): <c>from</c>/<c>to</c> bound the
    /// scheduled time, <c>after</c> is the previous page's <c>next</c> (of the same job's list, for one job's),
    /// <c>output=false</c> leaves the outputs out.
    /// </summary>
    public static RunListQuery Query(JobId? job, string? status, string? worker, string? trigger, string? from, string? to, string? limit,
        string? after, string? output)
    {
        var (start, stop) = (ApiInput.Time(from, "from"), ApiInput.Time(to, "to"));
        if (start is not null && stop is not null && stop <= start)
            throw new BadInputException("to", $"must be after from ({ApiInput.Format(start.Value)}).");
        return new RunListQuery(job, ApiInput.Enum<RunStatus>(status, "status"), ApiInput.Text(worker, "worker"),
            ApiInput.Enum<RunTrigger>(trigger, "trigger"), start, stop, ApiInput.Limit(limit, DefaultPageSize), Cursor(after, job),
            WithOutput(output));
    }

    private static RunCursor? Cursor(string? after, JobId? job)
    {
        if (ApiInput.Text(after, "after") is not { } text)
            return null;
        if (!RunCursor.TryParse(text, out var cursor))
            throw new BadInputException("after", $"'{text}' is not a cursor of a run list: pass the next of the page before.");
        if (job is { } own && cursor.RunId.Job != own)
            throw new BadInputException("after", $"'{text}' is a cursor of the runs of job '{cursor.RunId.Job}', not of '{own}'.");
        return cursor;
    }

    private static bool WithOutput(string? output) => ApiInput.Text(output, "output") switch
    {
        null or "true" => true,
        "false" => false,
        var text => throw new BadInputException("output", $"'{text}' is not true or false."),
    };
}
