using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ActorScheduler.Engine;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
        var start = LastEventId(request) is { } last ? checked(last + 1) : Position(from, "from") ?? 1;
        if (Reserve(request.HttpContext) is not { } place)
            return Busy();
        if (!await jobs.Events.Exists(jobId, cancel))
        {
            place.Dispose();
            return ApiResults.Problem(StatusCodes.Status404NotFound, $"Job '{jobId}' has no events: it was never defined.");
        }
        return Stream(jobs.Events.OfJob(jobId, start, Ending(request, cancel)), e => e.Seq, place);
    }

    /// <summary>After <c>Last-Event-ID</c> when reconnecting, else from <c>?from=</c> (a position; default: the beginning).</summary>
    private IResult All(string? from, HttpRequest request, CancellationToken cancel)
    {
        var after = LastEventId(request) ?? (Position(from, "from") is { } first ? first - 1 : 0);
        return Reserve(request.HttpContext) is { } place ? Stream(jobs.Events.All(after, Ending(request, cancel)), e => e.Position, place) : Busy();
    }

    /// <summary>A place among the <see cref="MaxStreams"/>, freed once whatever happens (the stream ends, or never starts).</summary>
    private Place? Reserve(HttpContext http)
    {
        if (Interlocked.Increment(ref _open) > MaxStreams)
        {
            Interlocked.Decrement(ref _open);
            logger.LogWarning("Refused an event stream: {Max} are open on this gateway", MaxStreams);
            return null;
        }
        var place = new Place(() => Interlocked.Decrement(ref _open));
        http.Response.RegisterForDispose(place);
        return place;
    }

    private static IResult Busy() => ApiResults.Problem(StatusCodes.Status503ServiceUnavailable,
        $"{MaxStreams} event streams are open on this gateway already; try again later or use another gateway.");

    /// <summary>The client's leaving or the gateway's stopping, whichever comes first, ends a stream.</summary>
    private static CancellationToken Ending(HttpRequest request, CancellationToken cancel)
    {
        var ending = CancellationTokenSource.CreateLinkedTokenSource(cancel,
            request.HttpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        request.HttpContext.Response.RegisterForDispose(ending); // its registration on the gateway's stopping goes with the request
        return ending.Token;
    }

    private static IResult Stream(IAsyncEnumerable<StreamedEvent?> events, Func<StreamedEvent, long> idOf, Place place) =>
        TypedResults.ServerSentEvents(Items(events, idOf, place));

    /// <summary>Events with their ids; a heartbeat carries no id, so the client's Last-Event-ID stays what it was.</summary>
    private static async IAsyncEnumerable<SseItem<StreamedEvent?>> Items(IAsyncEnumerable<StreamedEvent?> events, Func<StreamedEvent, long> idOf, Place place)
    {
        using (place)
        {
            IAsyncEnumerator<StreamedEvent?> reader = events.GetAsyncEnumerator();
            try
            {
                while (await Next(reader))
                    yield return reader.Current is { } e
                        ? new SseItem<StreamedEvent?>(e, e.Type) { EventId = idOf(e).ToString(System.Globalization.CultureInfo.InvariantCulture) }
                        : new SseItem<StreamedEvent?>(null, "heartbeat");
            }
            finally
            {
                await reader.DisposeAsync();
            }
        }
    }

    /// <summary>The next event; false when the stream ended, the client left or the gateway is stopping.</summary>
    private static async Task<bool> Next(IAsyncEnumerator<StreamedEvent?> reader)
    {
        try
        {
            return await reader.MoveNextAsync();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static long? LastEventId(HttpRequest request) =>
        request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } text ? Position(text, "Last-Event-ID") : null;

    private static long? Position(string? text, string field) =>
        string.IsNullOrEmpty(text) ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and < long.MaxValue ? value
        : throw new BadInputException(field, $"must be a whole number from 0 to {long.MaxValue - 1}, not '{text}'.");

    private sealed class Place(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                release();
        }
    }
}
