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
    }

    private async Task<IResult> Get(string runId, CancellationToken cancel) =>
        ApiResults.From<RunFound>(await jobs.Run(ApiInput.RunId(runId), cancel), found => ApiResults.Json(found.Run));

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
        return ApiResults.From<RunFound>(await jobs.Run(id, cancel), found => ApiResults.Json(found.Run));
    }
}
