using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// One run by its id: <c>/api/v1/runs/{runId}</c>. The run id contains its job's id, so the request goes
/// straight to that job's entity.
/// </summary>
internal sealed class RunEndpoints(JobService jobs)
{
    private const string CancelReason = "canceled through the API";

    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        var endpoints = new RunEndpoints(jobs);
        api.MapGet("/runs/{runId}", endpoints.Get).WithName("GetRun")
            .Produces<RunView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/runs/{runId}/cancel", endpoints.Cancel).WithName("CancelRun")
            .Produces<RunView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/runs/{runId}/output", endpoints.Output).WithName("GetRunOutput")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// The run's output as text. While it runs, and for a while after, the worker's live copy from byte
    /// <c>from</c> on: a reader passes back the <c>Output-Next</c> header each time and so gets every piece once
    /// (<c>Output-Running: false</c> once the run is over, <c>Output-Dropped</c> bytes the worker could not keep,
    /// <c>Output-More</c> when more is ready at once). Once the worker has let go of it, the output recorded with the
    /// run's outcome (its last 64 KB), read from the runs read model, to a reader that starts at 0.
    /// </summary>
    private async Task<IResult> Output(string runId, string? from, HttpResponse response, CancellationToken cancel)
    {
        var id = ApiInput.RunId(runId);
        var offset = ApiInput.Text(from, "from") is { } text
            ? long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new BadInputException("from", $"'{text}' must be a byte offset (0 or more), as the Output-Next header of the last answer gave it.")
            : 0;
        var reply = await jobs.RunDetail(id, withOutput: false, cancel);
        if (reply is not RunFound { Run: var run })
            return ApiResults.From<RunFound>(reply, _ => Results.Empty);
        var finished = run.Status.IsFinished();
        var live = run.Worker is { } worker ? await jobs.Outputs.Read(worker, id, offset, cancel) : null;
        string body;
        // A run that printed nothing live (an HTTP run, whose body comes with its result) shows what its outcome recorded.
        var printedNothing = live is { Known: true, Next: 0 } && offset == 0 && finished;
        if (live is { Known: true } && !printedNothing)
        {
            body = live.Text;
            SetHeaders(response, live.Next, live.Running && !finished, live.Dropped, live.More);
        }
        else
        {
            // The worker no longer has it, never started it or holds nothing: what the outcome recorded, once.
            body = finished && offset == 0 ? await jobs.RunOutput(run, cancel) ?? "" : "";
            SetHeaders(response, offset + System.Text.Encoding.UTF8.GetByteCount(body), !finished, 0, false);
        }
        return Results.Text(body, "text/plain; charset=utf-8");
    }

    private static void SetHeaders(HttpResponse response, long next, bool running, long dropped, bool more)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Output-Next"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["Output-Running"] = running ? "true" : "false";
        response.Headers["Output-Dropped"] = dropped.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["Output-More"] = more ? "true" : "false";
    }

    /// <summary>The run as its job holds it, with its recorded output once it is finished (from the runs read model).</summary>
    private async Task<IResult> Get(string runId, CancellationToken cancel) =>
        ApiResults.From<RunFound>(await jobs.RunDetail(ApiInput.RunId(runId), cancel: cancel), found => ApiResults.Json(found.Run));

    /// <summary>
    /// Asks the job to cancel the run (its worker kills a running process and then reports), and answers with
    /// the run as it stands once the request is stored; canceling a finished run changes nothing.
    /// </summary>
    private async Task<IResult> Cancel(string runId, CancellationToken cancel)
    {
        var id = ApiInput.RunId(runId);
        var canceled = await jobs.Send(id.Job, new CancelRun(id, CancelReason), cancel);
        if (canceled is JobRefused)
            return ApiResults.From<JobAccepted>(canceled, _ => Results.Empty);
        return ApiResults.From<RunFound>(await jobs.RunDetail(id, cancel: cancel), found => ApiResults.Json(found.Run));
    }
}
