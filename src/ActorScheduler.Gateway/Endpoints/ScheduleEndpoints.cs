using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// <c>POST /api/v1/schedules/preview</c>: the next occurrences of a schedule, computed here with Core's pure
/// schedule maths; the engine is not asked and nothing is stored.
/// </summary>
internal static class ScheduleEndpoints
{
    public const int DefaultCount = 10;
    public const int MaxCount = 1000;

    public static void Map(IEndpointRouteBuilder api, TimeProvider clock)
    {
        api.MapPost("/schedules/preview", (HttpRequest request) => Preview(request, clock)).WithName("PreviewSchedule")
            .Accepts<PreviewRequest>("application/json").Produces<PreviewResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> Preview(HttpRequest request, TimeProvider clock)
    {
        var body = (await ApiInput.Body<PreviewRequest>(request, required: true))!;
        if (body.Schedule is null && body.Schedules is null)
            throw new BadInputException("schedule", "is required: give one of cron, every, at or after (or schedules, several of them).");
        if (body.Count is < 1 or > MaxCount)
            throw new BadInputException("count", $"must be from 1 to {MaxCount}, not {body.Count}.");
        if (body.JobId is { } id && !JobId.IsValid(id))
            throw new BadInputException("jobId", JobId.Problem(id));
        var definition = new JobDefinition { Id = body.JobId, Schedule = body.Schedule, Schedules = body.Schedules, Exclude = body.Exclude, Jitter = body.Jitter };
        var errors = ScheduleSetValidator.Validate(definition);
        if (errors.Count > 0)
            throw new BadInputException(errors);
        // "from" is also the anchor: an every without start, or an after, counts from it as a new job would.
        var from = body.From ?? clock.GetUtcNow();
        var (occurrences, note) = ScheduleSet.Preview(definition, from, body.Count ?? DefaultCount);
        return ApiResults.Json(new PreviewResult(occurrences, note));
    }
}
