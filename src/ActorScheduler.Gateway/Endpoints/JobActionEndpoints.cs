using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>What can be done to one job and read about it: trigger, pause, resume, reschedule, runs, history.</summary>
internal sealed class JobActionEndpoints(JobService jobs)
{
    /// <summary>Events in one page of a job's history (and the default): a long journal comes in pages, not one answer.</summary>
    public const int MaxHistoryPage = 1000;

    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        var endpoints = new JobActionEndpoints(jobs);
        api.MapPost("/jobs/{id}/trigger", endpoints.Trigger).WithName("TriggerJob")
            .Accepts<TriggerRequest>(isOptional: true, "application/json").Produces<TriggerAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/jobs/{id}/pause", endpoints.Pause).WithName("PauseJob")
            .Accepts<PauseRequest>(isOptional: true, "application/json").Produces<JobView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/jobs/{id}/resume", endpoints.Resume).WithName("ResumeJob")
            .Produces<JobView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/jobs/{id}/enable", endpoints.Enable).WithName("EnableJob")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/jobs/{id}/disable", endpoints.Disable).WithName("DisableJob")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/jobs/{id}/links", endpoints.Links).WithName("GetJobLinks")
            .Produces<JobLinks>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/jobs/{id}/reschedule", endpoints.Reschedule).WithName("RescheduleJob")
            .Accepts<RescheduleRequest>("application/json").Produces<JobView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/jobs/{id}/backfill", endpoints.Backfill).WithName("BackfillJob")
            .Accepts<BackfillRequest>("application/json").Produces<BackfillAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/jobs/{id}/pending-edit", endpoints.DropEdit).WithName("DropPendingEdit")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/jobs/{id}/describe", endpoints.Describe).WithName("DescribeJob")
            .Produces<JobDescription>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/jobs/{id}/runs", endpoints.Runs).WithName("ListJobRuns")
            .Produces<RunList>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/jobs/{id}/history", endpoints.History).WithName("GetJobHistory")
            .Produces<HistoryList>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Runs the job now, outside its schedule; answers 202 with the new run's id.</summary>
    private async Task<IResult> Trigger(string id, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var body = await ApiInput.Body<TriggerRequest>(request, required: false);
        var reply = await jobs.Send(jobId, new TriggerJob(RunTrigger.Manual, body?.Data, "api", Overlap: body?.Overlap), cancel);
        return ApiResults.From<JobAccepted>(reply, accepted =>
        {
            var runId = accepted.NewRun?.ToString();
            if (runId is not null)
                request.HttpContext.Response.Headers.Location = $"{GatewayEndpoints.ApiPrefix}/runs/{Uri.EscapeDataString(runId)}";
            return ApiResults.Json(new TriggerAccepted(runId!), StatusCodes.Status202Accepted);
        });
    }

    /// <summary>Withdraws the job's pending dated edit (404 when it has none).</summary>
    private async Task<IResult> DropEdit(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Send(ApiInput.JobId(id), new DropEdit(), cancel));

    private async Task<IResult> Pause(string id, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var body = await ApiInput.Body<PauseRequest>(request, required: false);
        return ApiResults.View(await jobs.Send(jobId, new PauseJob(body?.Reason), cancel));
    }

    private async Task<IResult> Resume(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Send(ApiInput.JobId(id), new ResumeJob(), cancel));

    private async Task<IResult> Enable(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Send(ApiInput.JobId(id), new EnableJob(), cancel));

    private async Task<IResult> Disable(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Send(ApiInput.JobId(id), new DisableJob(), cancel));

    /// <summary>The view with the skipped-occurrence counts, the next 10 times and the 10 most recent runs.</summary>
    private async Task<IResult> Describe(string id, CancellationToken cancel) =>
        ApiResults.From<JobDescribed>(await jobs.Describe(ApiInput.JobId(id), cancel), described => ApiResults.Json(described.Description));

    /// <summary>Who triggers the job (its own triggers) and whom it triggers (the trigger index: jobs naming it).</summary>
    private async Task<IResult> Links(string id, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var reply = await jobs.Get(jobId, cancel);
        if (reply is not JobFound found)
            return ApiResults.View(reply);
        var upstream = TriggerSpec.Listened(found.View.Definition.Triggers).Select(l => l.Trigger)
            .Select(t => new JobTriggerLink(t.Job, t.Event, t.Job is null ? null : ApiInput.WireName(t.On ?? TriggerOn.Completed)))
            .ToList();
        return ApiResults.Json(new JobLinks(upstream, await jobs.Downstream(jobId, cancel)));
    }

    private async Task<IResult> Reschedule(string id, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var body = (await ApiInput.Body<RescheduleRequest>(request, required: true))!;
        var at = body.At ?? throw new BadInputException("at", "is required: the time the next occurrence moves to, e.g. \"2026-12-01T00:00:00Z\".");
        return ApiResults.View(await jobs.Send(jobId, new RescheduleJob(at), cancel));
    }

    /// <summary>Runs the schedule's occurrences in a past range with trigger backfill; answers 202 with what it queued.</summary>
    private async Task<IResult> Backfill(string id, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var body = (await ApiInput.Body<BackfillRequest>(request, required: true))!;
        var from = body.From ?? throw new BadInputException("from", "is required: the start of the past range to run, e.g. \"2026-12-01T00:00:00Z\".");
        var to = body.To ?? throw new BadInputException("to", "is required: the end of the past range to run (exclusive, at most now).");
        var reply = await jobs.Send(jobId, new BackfillJob(from, to, body.Overlap), cancel);
        return ApiResults.From<JobAccepted>(reply, accepted => ApiResults.Json(
            new BackfillAccepted(accepted.Backfill?.Count ?? 0, accepted.Backfill?.First ?? from, accepted.Backfill?.Last ?? from),
            StatusCodes.Status202Accepted));
    }

    /// <summary>
    /// The job's runs, newest first, a page at a time through its whole history, from the runs read model (the same
    /// query as <c>GET /runs?jobId=</c>). An empty first page may mean no such job: the job itself says so then.
    /// </summary>
    private async Task<IResult> Runs(string id, string? status, string? from, string? to, string? limit, string? after, string? output,
        CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var page = await jobs.ListRuns(RunQueryEndpoints.Query(jobId, status, null, null, from, to, limit, after, output), cancel);
        if (page.Items.Count == 0 && string.IsNullOrEmpty(after) && await jobs.Get(jobId, cancel) is JobRefused refused)
            return ApiResults.From<JobFound>(refused, _ => Results.Empty);
        return ApiResults.Json(new RunList(page.Items, page.Next));
    }

    /// <summary>
    /// A page of the job's events: from sequence number <c>from</c> (default 1), at most <c>limit</c> (default and
    /// at most <see cref="MaxHistoryPage"/>); <c>next</c> is where the following page starts, null at the end.
    /// </summary>
    private async Task<IResult> History(string id, string? from, string? limit, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var start = ApiInput.Text(from, "from") is { } text
            ? long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) && seq >= 1
                ? seq
                : throw new BadInputException("from", $"'{text}' must be a sequence number (1 or more).")
            : 1;
        var count = ApiInput.Limit(limit, MaxHistoryPage, MaxHistoryPage);
        var page = await jobs.History(jobId, start, count, cancel);
        if (page is null)
            return ApiResults.Problem(StatusCodes.Status404NotFound, $"Job '{jobId}' has no history: it was never defined.");
        // An entry without a payload carries an undefined JsonElement, which cannot be written; it becomes null.
        return ApiResults.Json(new HistoryList(page.Items.Select(e => new HistoryItem(e.Seq, e.Type, e.At, e.Data)).ToList(), page.Next));
    }

}
