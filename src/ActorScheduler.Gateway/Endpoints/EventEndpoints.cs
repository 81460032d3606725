using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ActorScheduler.Engine;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Live journal events as server-sent events: <c>/api/v1/jobs/{id}/events</c> (one job; an event's SSE id is its
/// sequence number) and <c>/api/v1/events</c> (every job; the id is the journal's global position). A client that
/// reconnects with <c>Last-Event-ID</c> gets what came after that event, nothing twice.
/// </summary>
internal sealed class EventEndpoints(JobService jobs, ILogger logger)
{
    /// <summary>Streams open at once on this gateway; one more is answered 503 (and logged).</summary>
    public const int MaxStreams = 100;

    private int _open;

    public static void Map(IEndpointRouteBuilder api, JobService jobs, ILogger logger)
    {
        var endpoints = new EventEndpoints(jobs, logger);
        api.MapGet("/jobs/{id}/events", endpoints.OfJob).WithName("StreamJobEvents")
            .Produces<StreamedEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/events", endpoints.All).WithName("StreamEvents")
            .Produces<StreamedEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>From <c>Last-Event-ID</c> + 1 when reconnecting, else from <c>?from=</c> (default 1: the whole journal).</summary>
    private async Task<IResult> OfJob(string id, string? from, HttpRequest request, CancellationToken cancel)
    {
        var jobId = ApiInput.JobId(id);
        var start = LastEventId(request) is { } last ? last + 1 : Position(from, "from") ?? 1;
        if (await jobs.Events.HighestOf(jobId, cancel) == 0)
            return ApiResults.Problem(StatusCodes.Status404NotFound, $"Job '{jobId}' has no events: it was never defined.");
        return Stream(jobs.Events.OfJob(jobId, start, cancel), e => e.Seq, cancel);
    }

    /// <summary>After <c>Last-Event-ID</c> when reconnecting, else from <c>?from=</c> (a position; default: the beginning).</summary>
    private IResult All(string? from, HttpRequest request, CancellationToken cancel)
    {
        var after = LastEventId(request) ?? (Position(from, "from") is { } first ? first - 1 : 0);
        return Stream(jobs.Events.All(after, cancel), e => e.Position, cancel);
    }

    private IResult Stream(IAsyncEnumerable<StreamedEvent> events, Func<StreamedEvent, long> idOf, CancellationToken cancel)
    {
        if (Volatile.Read(ref _open) >= MaxStreams)
        {
            logger.LogWarning("Refused an event stream: {Max} are open on this gateway", MaxStreams);
            return ApiResults.Problem(StatusCodes.Status503ServiceUnavailable,
                $"{MaxStreams} event streams are open on this gateway already; try again later or use another gateway.");
        }
        return TypedResults.ServerSentEvents(Items(events, idOf, cancel));
    }

    private async IAsyncEnumerable<SseItem<StreamedEvent>> Items(IAsyncEnumerable<StreamedEvent> events, Func<StreamedEvent, long> idOf,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        // Counted while it runs (from its first read to its end), so a stream that never started holds no place.
        Interlocked.Increment(ref _open);
        try
        {
            await foreach (var e in events.WithCancellation(cancel))
                yield return new SseItem<StreamedEvent>(e, e.Type) { EventId = idOf(e).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static long? LastEventId(HttpRequest request) =>
        request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } text ? Position(text, "Last-Event-ID") : null;

    private static long? Position(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new BadInputException(field, $"must be a whole number of at least 0, not '{text}'.");
}
