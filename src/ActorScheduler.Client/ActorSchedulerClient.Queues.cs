using System.Text.Json;
using ActorScheduler.Client.Protocol;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Client;

// Work queues (docs/API.md, "Work queues"): named queues of items { id, status, data, createdAt, updatedAt } in the
// cluster's database. Refusals as for jobs: bad input is an InvalidJobException naming the field, an unknown item a
// JobNotFoundException, an item that no longer has the expected status a JobConflictException, one changed since the
// expected version a StaleRequestException.
public sealed partial class ActorSchedulerClient
{
    /// <summary>Adds an item to the queue (created with its first item); <paramref name="data"/> is a JSON object, null for <c>{}</c>.</summary>
    public async Task<QueueItem> AddQueueItemAsync(string queue, JsonElement? data = null, string status = QueueRules.DefaultStatus,
        CancellationToken cancel = default) =>
        (await RequestAsync<QueueItemAnswer>(new AddQueueItemRequest(queue, data, status), cancel)).Item;

    /// <summary>One item; an unknown one is a <see cref="JobNotFoundException"/>.</summary>
    public async Task<QueueItem> GetQueueItemAsync(string queue, string itemId, CancellationToken cancel = default) =>
        (await RequestAsync<QueueItemAnswer>(new GetQueueItemRequest(queue, itemId), cancel)).Item;

    /// <summary>
    /// A page of the queue's items (an unknown queue is an empty one). Pass the page's <see cref="QueueItemPage.Next"/> as the
    /// next filter's <see cref="QueueItemFilter.After"/>, with the same sort.
    /// </summary>
    public async Task<QueueItemPage> ListQueueItemsAsync(string queue, QueueItemFilter? filter = null, CancellationToken cancel = default)
    {
        filter ??= new QueueItemFilter();
        var answer = await RequestAsync<QueueItemPageAnswer>(new ListQueueItemsRequest(queue, filter.Status, filter.Sort, filter.Limit, filter.After), cancel);
        return new QueueItemPage(answer.Items, answer.Next);
    }

    /// <summary>
    /// Changes the item's status and/or data (null: keep) and answers it as it is after the change. With
    /// <see cref="QueueItemChange.ExpectStatus"/> the change is made only while the item still has that status: of two
    /// workers taking the same pending item, one gets it and the other a <see cref="JobConflictException"/>.
    /// </summary>
    public async Task<QueueItem> UpdateQueueItemAsync(string queue, string itemId, QueueItemChange change, CancellationToken cancel = default) =>
        (await RequestAsync<QueueItemAnswer>(
            new UpdateQueueItemRequest(queue, itemId, change.Status, change.Data, change.ExpectStatus, change.ExpectVersion), cancel)).Item;

    /// <summary>
    /// Takes the oldest item with status <paramref name="from"/> by setting it to <paramref name="to"/>, retrying with the next
    /// one when another worker took it first; null when the queue holds none.
    /// </summary>
    public async Task<QueueItem?> TakeQueueItemAsync(string queue, string from = QueueRules.DefaultStatus, string to = "running",
        CancellationToken cancel = default)
    {
        while (true)
        {
            var page = await ListQueueItemsAsync(queue, new QueueItemFilter(Status: from, Limit: 10), cancel);
            if (page.Items.Count == 0)
                return null;
            foreach (var candidate in page.Items)
            {
                try
                {
                    return await UpdateQueueItemAsync(queue, candidate.Id, new QueueItemChange(Status: to, ExpectStatus: from), cancel);
                }
                catch (RequestRefusedException e) when (e is JobConflictException or JobNotFoundException)
                {
                    // Another worker took or removed it between the list and the change: try the next one.
                }
            }
        }
    }

    /// <summary>Removes the item; an unknown one is a <see cref="JobNotFoundException"/>.</summary>
    public async Task DeleteQueueItemAsync(string queue, string itemId, CancellationToken cancel = default) =>
        await RequestAsync<QueueItemDeleted>(new DeleteQueueItemRequest(queue, itemId), cancel);

    /// <summary>Every queue that holds items, by name, with its item counts by status.</summary>
    public async Task<IReadOnlyList<QueueSummary>> ListQueuesAsync(CancellationToken cancel = default) =>
        (await RequestAsync<QueueListAnswer>(new ListQueuesRequest(), cancel)).Queues;
}

/// <summary>
/// Which items <see cref="ActorSchedulerClient.ListQueueItemsAsync"/> answers: those with <see cref="Status"/> (all when null), in
/// <see cref="Sort"/> order (oldest first by default), at most <see cref="Limit"/> (1 to 1000), after the cursor <see cref="After"/>.
/// </summary>
public sealed record QueueItemFilter(string? Status = null, QueueSort Sort = QueueSort.CreatedAt, int Limit = 100, string? After = null);

/// <summary>A page of items; <see cref="Next"/> is the cursor of the following page, null on the last one.</summary>
public sealed record QueueItemPage(IReadOnlyList<QueueItem> Items, string? Next);

/// <summary>
/// A change of an item: a new status and/or new data (replaced whole), made only while the item has
/// <see cref="ExpectStatus"/> and <see cref="ExpectVersion"/> when they are given.
/// </summary>
public sealed record QueueItemChange(string? Status = null, JsonElement? Data = null, string? ExpectStatus = null, long? ExpectVersion = null);
