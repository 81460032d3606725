using System.Text.Json;
using System.Text.Json.Serialization;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Gateway;

// Request and answer bodies of the work queues (docs/API.md, "Work queues"), read and written with CoreJson.Options.

/// <summary><c>POST /api/v1/queues/{queue}/items</c>: the item's data (a JSON object, default <c>{}</c>) and status (default <c>pending</c>).</summary>
public sealed record QueueItemRequest
{
    public JsonElement? Data { get; init; }
    public string? Status { get; init; }
}

/// <summary>
/// <c>PATCH /api/v1/queues/{queue}/items/{itemId}</c>: a new status and/or new data (replaced whole); with
/// <see cref="ExpectStatus"/> the change is made only while the item still has that status (409 otherwise).
/// </summary>
public sealed record QueueItemPatch
{
    public string? Status { get; init; }
    public JsonElement? Data { get; init; }
    public string? ExpectStatus { get; init; }
}

/// <summary>A page of a queue's items; <see cref="Next"/> (the following page's <c>after</c>) is written even when null.</summary>
public sealed record QueueItemList(
    IReadOnlyList<QueueItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>Every queue that holds items, by name, with its item counts by status.</summary>
public sealed record QueueList(IReadOnlyList<QueueSummary> Items);
