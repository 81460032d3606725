using System.Text.Json;
using ActorScheduler.Client.Protocol;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Queues;
using ActorScheduler.Engine.Queues;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.ClientApi;

/// <summary>
/// A client's work-queue request carried out on <see cref="WorkQueues"/>, checked with the same rules as the HTTP API
/// and refused the same way: bad input (data too large included) Invalid, an unknown item NotFound, an item that no
/// longer has the expected status Conflict (HTTP 409), one changed since the expected version Stale (HTTP 412).
/// </summary>
internal static class QueueRequests
{
    public static async Task<IClientProtocolMessage> Execute(JobService jobs, IQueueRequest request)
    {
        if (jobs.Queues is not { } queues)
            return new RequestFailed("This node has no database: queues are served by gateway and scheduler nodes.");
        if (Problem(request) is { } problem)
            return new RequestRefused(RejectionKind.Invalid, problem.ToString());
        return request switch
        {
            AddQueueItemRequest r => new QueueItemAnswer(await queues.Add(r.Queue, r.Data, r.Status)),
            GetQueueItemRequest r => await queues.Get(r.Queue, r.ItemId) is { } item ? new QueueItemAnswer(item) : NotFound(r.Queue, r.ItemId),
            ListQueueItemsRequest r => await List(queues, r),
            UpdateQueueItemRequest r => Changed(r, await queues.Update(r.Queue, r.ItemId, r.Status, r.Data, r.ExpectStatus, r.ExpectVersion)),
            DeleteQueueItemRequest r => await queues.Delete(r.Queue, r.ItemId) ? new QueueItemDeleted(r.Queue, r.ItemId) : NotFound(r.Queue, r.ItemId),
            ListQueuesRequest => new QueueListAnswer(await queues.Summaries()),
            _ => new RequestFailed($"This node does not handle {request.GetType().Name}; is the client newer than the cluster?"),
        };
    }

    private static async Task<IClientProtocolMessage> List(WorkQueues queues, ListQueueItemsRequest request)
    {
        QueueCursor? after = null;
        if (request.After is { } text)
        {
            if (!QueueCursor.TryParse(text, out var cursor) || cursor.Sort != request.Sort)
                return new RequestRefused(RejectionKind.Invalid, $"after: '{text}' is not a cursor a page of this sort gave (its next).");
            after = cursor;
        }
        var page = await queues.List(new QueueListQuery(request.Queue, request.Status, request.Sort, request.Limit, after));
        var (items, bytes) = (new List<QueueItem>(), 0);
        foreach (var item in page.Items)
        {
            bytes += QueueRules.Compact(item.Data).Length + 200; // the item's other fields and its JSON punctuation, generously
            if (items.Count > 0 && bytes > MaxAnswerBytes)
                return new QueueItemPageAnswer(items, QueueCursor.Of(items[^1], request.Sort).ToString());
            items.Add(item);
        }
        return new QueueItemPageAnswer(items, page.Next);
    }

    /// <summary>
    /// A page answer stays below Akka remoting's frame size (128,000 bytes by default; a larger message is dropped): a page
    /// of large items ends early, its next continuing after the last item it holds. One item (data ≤ 64 KiB) always fits.
    /// </summary>
    private const int MaxAnswerBytes = 96 * 1024;

    private static IClientProtocolMessage Changed(UpdateQueueItemRequest request, QueueUpdateOutcome change) => change switch
    {
        QueueItemChanged changed => new QueueItemAnswer(changed.Item),
        QueueItemStatusConflict conflict => new RequestRefused(RejectionKind.Conflict,
            $"expectStatus: item '{request.ItemId}' is '{conflict.Current.Status}', not '{request.ExpectStatus}'; nothing was changed."),
        QueueItemVersionConflict conflict => new RequestRefused(RejectionKind.Stale,
            $"expectVersion: item '{request.ItemId}' is at version {conflict.Current.Version}, not {request.ExpectVersion}; nothing was changed."),
        _ => NotFound(request.Queue, request.ItemId),
    };

    /// <summary>The first thing wrong with the request, by the rules the HTTP API applies.</summary>
    private static ValidationError? Problem(IQueueRequest request) => request switch
    {
        AddQueueItemRequest r => QueueRules.Queue(r.Queue) ?? (r.Status is null ? null : QueueRules.Status(r.Status)) ?? Data(r.Data),
        GetQueueItemRequest r => Item(r.Queue, r.ItemId),
        DeleteQueueItemRequest r => Item(r.Queue, r.ItemId),
        ListQueueItemsRequest r => QueueRules.Queue(r.Queue) ?? (r.Status is null ? null : QueueRules.Status(r.Status)) ??
            (r.Limit is < 1 or > WorkQueues.MaxPageSize ? new ValidationError("limit", $"{r.Limit} must be from 1 to {WorkQueues.MaxPageSize}.") : null),
        UpdateQueueItemRequest r => Item(r.Queue, r.ItemId) ??
            (r.Status is null && r.Data is null ? new ValidationError("status", "a change sets the status, the data or both.") : null) ??
            (r.Status is null ? null : QueueRules.Status(r.Status)) ?? (r.ExpectStatus is null ? null : QueueRules.Status(r.ExpectStatus, "expectStatus")) ??
            Data(r.Data),
        _ => null,
    };

    private static ValidationError? Item(string queue, string itemId) => QueueRules.Queue(queue) ?? QueueRules.ItemId(itemId);

    private static ValidationError? Data(JsonElement? data) =>
        data is not { } given ? null : QueueRules.DataShape(given) ?? QueueRules.DataSize(QueueRules.Compact(given));

    private static RequestRefused NotFound(string queue, string itemId) => new(RejectionKind.NotFound, $"itemId: queue '{queue}' holds no item '{itemId}'.");
}
