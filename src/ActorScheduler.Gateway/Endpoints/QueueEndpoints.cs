using System.Globalization;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Queues;
using ActorScheduler.Engine;
using ActorScheduler.Engine.Queues;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Gateway.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorScheduler.Gateway.Endpoints;

/// <summary>
/// Work queues: <c>/api/v1/queues</c> and the items of each, in the engine's database (<see cref="WorkQueues"/>). A queue
/// exists while it holds items. Every item answer carries its version as a strong ETag; a PATCH with <c>If-Match</c>
/// changes the item only at that version (412 otherwise), a PATCH with <c>expectStatus</c> only while the item has
/// that status (409 otherwise) — how two workers avoid taking the same item.
/// </summary>
internal sealed class QueueEndpoints(JobService jobs)
{
    public const int DefaultPageSize = 100;

    public static void Map(IEndpointRouteBuilder api, JobService jobs)
    {
        var endpoints = new QueueEndpoints(jobs);
        api.MapGet("/queues", endpoints.Queues).WithName("ListQueues").Produces<QueueList>();
        api.MapPost("/queues/{queue}/items", endpoints.Add).WithName("AddQueueItem")
            .Accepts<QueueItemRequest>("application/json").Produces<QueueItem>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapGet("/queues/{queue}/items", endpoints.List).WithName("ListQueueItems")
            .Produces<QueueItemList>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/queues/{queue}/items/{itemId}", endpoints.Get).WithName("GetQueueItem")
            .Produces<QueueItem>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/queues/{queue}/items/{itemId}", endpoints.Update).WithName("UpdateQueueItem")
            .Accepts<QueueItemPatch>("application/json").Produces<QueueItem>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapDelete("/queues/{queue}/items/{itemId}", endpoints.Delete).WithName("DeleteQueueItem")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private WorkQueues Store => jobs.Queues ?? throw new InvalidOperationException("This node has no database: queues are served by gateway and scheduler nodes.");

    private async Task<IResult> Queues(CancellationToken cancel) => ApiResults.Json(new QueueList(await Store.Summaries(cancel)));

    private async Task<IResult> Add(string queue, HttpRequest request, CancellationToken cancel)
    {
        Check(QueueRules.Queue(queue));
        var body = await ApiInput.Body<QueueItemRequest>(request, required: false) ?? new QueueItemRequest();
        if (body.Status is { } status)
            Check(QueueRules.Status(status));
        if (DataProblem(body.Data) is { } tooLarge)
            return tooLarge;
        var item = await Store.Add(queue, body.Data, body.Status, cancel);
        return Item(item, StatusCodes.Status201Created, $"{GatewayEndpoints.ApiPrefix}/queues/{queue}/items/{item.Id}");
    }

    /// <summary><c>sort</c> is createdAt (the default, oldest first), -createdAt, updatedAt or -updatedAt; <c>after</c> is the previous page's next.</summary>
    private async Task<IResult> List(string queue, string? status, string? sort, string? limit, string? after, CancellationToken cancel)
    {
        Check(QueueRules.Queue(queue));
        var filter = ApiInput.Text(status, "status");
        if (filter is not null)
            Check(QueueRules.Status(filter));
        var order = QueueSort.CreatedAt;
        if (ApiInput.Text(sort, "sort") is { } sortText && !QueueSorts.TryParse(sortText, out order))
            throw new BadInputException("sort", $"'{sortText}' is not one of {string.Join(", ", QueueSorts.Names.Values)}.");
        QueueCursor? cursor = null;
        if (ApiInput.Text(after, "after") is { } afterText)
        {
            if (!QueueCursor.TryParse(afterText, out var parsed))
                throw new BadInputException("after", $"'{afterText}' is not a cursor of a queue's list: pass the next of the page before.");
            if (parsed.Sort != order)
                throw new BadInputException("after", $"'{afterText}' continues a list sorted by {parsed.Sort.Name()}, not by {order.Name()}.");
            cursor = parsed;
        }
        var page = await Store.List(new QueueListQuery(queue, filter, order, ApiInput.Limit(limit, DefaultPageSize, WorkQueues.MaxPageSize), cursor), cancel);
        return ApiResults.Json(new QueueItemList(page.Items, page.Next));
    }

    private async Task<IResult> Get(string queue, string itemId, CancellationToken cancel)
    {
        CheckItem(queue, itemId);
        return await Store.Get(queue, itemId, cancel) is { } item ? Item(item) : NotFound(queue, itemId);
    }

    private async Task<IResult> Update(string queue, string itemId, HttpRequest request, CancellationToken cancel)
    {
        CheckItem(queue, itemId);
        var expectVersion = IfMatch(request);
        var patch = await ApiInput.Body<QueueItemPatch>(request, required: true);
        if (patch!.Status is null && patch.Data is null)
            throw new BadInputException("body", "changes nothing: give status, data or both.");
        if (patch.Status is { } status)
            Check(QueueRules.Status(status));
        if (patch.ExpectStatus is { } expected)
            Check(QueueRules.Status(expected, "expectStatus"));
        if (DataProblem(patch.Data) is { } tooLarge)
            return tooLarge;
        return await Store.Update(queue, itemId, patch.Status, patch.Data, patch.ExpectStatus, expectVersion, cancel) switch
        {
            QueueItemChanged changed => Item(changed.Item),
            QueueItemStatusConflict conflict => ApiResults.Problem(StatusCodes.Status409Conflict,
                $"expectStatus: item '{itemId}' is '{conflict.Current.Status}', not '{patch.ExpectStatus}' (another client changed it); nothing was changed.",
                Current(conflict.Current)),
            QueueItemVersionConflict conflict => ApiResults.Problem(StatusCodes.Status412PreconditionFailed,
                $"If-Match: item '{itemId}' is at version {conflict.Current.Version}, not {expectVersion}; read it again and retry.", Current(conflict.Current)),
            _ => NotFound(queue, itemId),
        };
    }

    private async Task<IResult> Delete(string queue, string itemId, CancellationToken cancel)
    {
        CheckItem(queue, itemId);
        return await Store.Delete(queue, itemId, cancel) ? Results.NoContent() : NotFound(queue, itemId);
    }

    /// <summary>The version an <c>If-Match</c> asks for (its ETag, <c>"3"</c>); null without one or with <c>*</c> (any version).</summary>
    private static long? IfMatch(HttpRequest request)
    {
        var text = request.Headers.IfMatch.ToString().Trim();
        if (text is "" or "*")
            return null;
        return text.Length > 2 && text[0] == '"' && text[^1] == '"' &&
               long.TryParse(text[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new BadInputException("If-Match", $"'{text}' is not an ETag this API gave (a version in quotes, e.g. \"3\").");
    }

    /// <summary>Data of the wrong shape is a 400; data over the size limit a 413, naming the field either way.</summary>
    private static IResult? DataProblem(System.Text.Json.JsonElement? data)
    {
        if (data is not { } given)
            return null;
        Check(QueueRules.DataShape(given));
        return QueueRules.DataSize(QueueRules.Compact(given)) is { } tooLarge
            ? ApiResults.Problem(StatusCodes.Status413PayloadTooLarge, tooLarge.ToString(), Errors(tooLarge))
            : null;
    }

    private static IResult Item(QueueItem item, int status = StatusCodes.Status200OK, string? location = null) => new Tagged(item, status, location);

    private sealed class Tagged(QueueItem item, int status, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{item.Version.ToString(CultureInfo.InvariantCulture)}\"";
            if (location is not null)
                http.Response.Headers.Location = location;
            return ApiResults.Json(item, status).ExecuteAsync(http);
        }
    }

    private static IResult NotFound(string queue, string itemId) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, $"itemId: queue '{queue}' holds no item '{itemId}'.");

    private static Dictionary<string, object?> Current(QueueItem current) => new() { ["item"] = current };

    private static Dictionary<string, object?> Errors(ValidationError error) =>
        new() { ["errors"] = new[] { new Dictionary<string, string> { ["field"] = error.Field, ["message"] = error.Message } } };

    private static void CheckItem(string queue, string itemId)
    {
        Check(QueueRules.Queue(queue));
        Check(QueueRules.ItemId(itemId));
    }

    private static void Check(ValidationError? problem)
    {
        if (problem is not null)
            throw new BadInputException([problem]);
    }
}
