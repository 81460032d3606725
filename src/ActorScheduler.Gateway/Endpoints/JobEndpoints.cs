using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>Defining, reading, listing and canceling jobs: <c>/api/v1/jobs</c> and <c>/api/v1/jobs/{id}</c>.</summary>
internal sealed class JobEndpoints(JobService jobs)
{
    public const int DefaultPageSize = 100;
    private const string CancelReason = "canceled through the API";

    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        var endpoints = new JobEndpoints(jobs);
        api.MapPost("/jobs", endpoints.Create).WithName("CreateJob")
            .Accepts<JobDefinition>("application/json").Produces<JobView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/jobs/{id}", endpoints.Replace).WithName("PutJob")
            .Accepts<JobDefinition>("application/json").Produces<JobView>().Produces<JobView>(StatusCodes.Status201Created)
            .Produces<JobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/jobs", endpoints.List).WithName("ListJobs")
            .Produces<JobList>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/jobs/{id}", endpoints.Get).WithName("GetJob")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/jobs/{id}", endpoints.Cancel).WithName("CancelJob")
            .Produces<JobView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private async Task<IResult> Create(HttpRequest request, CancellationToken cancel)
    {
        var definition = (await ApiInput.Body<JobDefinition>(request, required: true))!;
        Validate(definition, requireId: true);
        var reply = await jobs.Define(ApiInput.JobId(definition.Id!), definition, createOnly: true, cancel);
        return ApiResults.From<JobAccepted>(reply, accepted => Created(request, accepted.View));
    }

    /// <summary>
    /// PUT takes the id from the path; an id in the body must repeat it. With <paramref name="effectiveAt"/> in the future it
    /// is a dated edit: 202, the job unchanged until then, the edit shown as its pendingEdit.
    /// </summary>
    private async Task<IResult> Replace(string id, string? effectiveAt, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var definition = (await ApiInput.Body<JobDefinition>(request, required: true))!;
        if (definition.Id is not null && definition.Id != id)
            throw new BadInputException("id", $"'{definition.Id}' in the body does not match '{id}' in the path; leave it out or make them equal.");
        definition = definition with { Id = id };
        Validate(definition, requireId: true);
        var reply = await jobs.Define(jobId, definition, createOnly: false, cancel, ApiInput.Time(effectiveAt, "effectiveAt"));
        // A dated edit is accepted for later: the view shows it as pendingEdit.
        if (reply is JobAccepted { Dated: true } dated)
            return ApiResults.Json(dated.View, StatusCodes.Status202Accepted);
        // The job says whether this define created it (201) or replaced a job that existed, canceled ones included (200).
        return ApiResults.From<JobAccepted>(reply, accepted => accepted.Created ? Created(request, accepted.View) : ApiResults.Json(accepted.View));
    }

    /// <summary><c>q</c> keeps the jobs whose id contains it, ignoring case (the dashboard's search box); <c>board</c> the jobs of that board.</summary>
    private async Task<IResult> List(string? status, string? worker, string? tag, string? q, string? board, string? limit, string? after, CancellationToken cancel)
    {
        var search = ApiInput.Text(q, "q");
        if (search is { Length: > 128 })
            throw new BadInputException("q", "is longer than any job id (128 characters at most).");
        var query = new JobListQuery(
            ApiInput.Enum<JobStatus>(status, "status"),
            ApiInput.Text(worker, "worker"),
            ApiInput.Text(tag, "tag"),
            ApiInput.Limit(limit, DefaultPageSize),
            ApiInput.Text(after, "after") is { } cursor ? ApiInput.JobId(cursor, "after") : null,
            search,
            ApiInput.Text(board, "board"));
        var page = await jobs.List(query, cancel);
        return ApiResults.Json(new JobList(page.Items, page.Next));
    }

    private async Task<IResult> Get(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Get(ApiInput.JobId(id), cancel));

    /// <summary>DELETE cancels: the job stops for good but its history stays readable (and PUT revives it).</summary>
    private async Task<IResult> Cancel(string id, CancellationToken cancel) =>
        ApiResults.View(await jobs.Send(ApiInput.JobId(id), new CancelJob(CancelReason), cancel));

    // The engine validates again inside Decide; checking here as well answers with every field named
    // separately and spares the engine a round trip for input that can never be accepted.
    private static void Validate(JobDefinition definition, bool requireId)
    {
        var errors = JobDefinitionValidator.Validate(definition, requireId);
        if (errors.Count > 0)
            throw new BadInputException(errors);
    }

    private static IResult Created(HttpRequest request, JobView view)
    {
        request.HttpContext.Response.Headers.Location = $"{GatewayEndpoints.ApiPrefix}/jobs/{Uri.EscapeDataString(view.Id)}";
        return ApiResults.Json(view, StatusCodes.Status201Created);
    }
}
