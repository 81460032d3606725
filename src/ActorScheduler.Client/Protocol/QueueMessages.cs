using System.Text.Json;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Client.Protocol;

// The work queues over the client protocol (the HTTP API's /api/v1/queues), with the same wire rules as ClientMessages:
// stable manifests in ClientProtocolSerializer, fields added only as optional ones.

/// <summary>A request about work queues; the client service hands these to its queue handler.</summary>
public interface IQueueRequest : IClientRequest;

/// <summary>Adds an item (data: a JSON object, null for <c>{}</c>; status: null for <c>pending</c>); answered with <see cref="QueueItemAnswer"/>.</summary>
public sealed record AddQueueItemRequest(string Queue, JsonElement? Data, string? Status) : ClientCall, IQueueRequest;

/// <summary>Answered with <see cref="QueueItemAnswer"/>, or refused NotFound.</summary>
public sealed record GetQueueItemRequest(string Queue, string ItemId) : ClientCall, IQueueRequest;

/// <summary>A page of a queue's items in <paramref name="Sort"/> order; <paramref name="After"/> is the previous page's next. Answered with <see cref="QueueItemPageAnswer"/>.</summary>
public sealed record ListQueueItemsRequest(string Queue, string? Status, QueueSort Sort, int Limit, string? After) : ClientCall, IQueueRequest;

/// <summary>
/// Sets the status and/or the data (null: keep), only while the item has <paramref name="ExpectStatus"/> (else refused
/// Conflict) and <paramref name="ExpectVersion"/> (else refused Stale) when they are given. Answered with <see cref="QueueItemAnswer"/>.
/// </summary>
public sealed record UpdateQueueItemRequest(string Queue, string ItemId, string? Status, JsonElement? Data, string? ExpectStatus, long? ExpectVersion)
    : ClientCall, IQueueRequest;

/// <summary>Answered with <see cref="QueueItemDeleted"/>, or refused NotFound.</summary>
public sealed record DeleteQueueItemRequest(string Queue, string ItemId) : ClientCall, IQueueRequest;

/// <summary>Every queue that holds items, with counts by status; answered with <see cref="QueueListAnswer"/>.</summary>
public sealed record ListQueuesRequest : ClientCall, IQueueRequest;

/// <summary>The item as it is after the request.</summary>
public sealed record QueueItemAnswer(QueueItem Item) : IClientProtocolMessage;

/// <summary>A page of items; <paramref name="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record QueueItemPageAnswer(IReadOnlyList<QueueItem> Items, string? Next) : IClientProtocolMessage;

/// <summary>The item was removed.</summary>
public sealed record QueueItemDeleted(string Queue, string ItemId) : IClientProtocolMessage;

/// <summary>Every queue that holds items, by name, with its item counts by status.</summary>
public sealed record QueueListAnswer(IReadOnlyList<QueueSummary> Queues) : IClientProtocolMessage;
