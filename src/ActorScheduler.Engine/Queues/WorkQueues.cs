using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Queues;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Queues;

/// <summary>A page of a queue's items; <see cref="Next"/> is the cursor of the following page (null: the last one).</summary>
public sealed record QueueItemPage(IReadOnlyList<QueueItem> Items, string? Next);

/// <summary>What a change of an item came to.</summary>
public abstract record QueueUpdateOutcome;

/// <summary>The change was made; <paramref name="Item"/> is the item after it.</summary>
public sealed record QueueItemChanged(QueueItem Item) : QueueUpdateOutcome;

/// <summary>No such item in the queue.</summary>
public sealed record QueueItemMissing : QueueUpdateOutcome;

/// <summary>The item no longer had the status the change expected (another worker took it); nothing was changed.</summary>
public sealed record QueueItemStatusConflict(QueueItem Current) : QueueUpdateOutcome;

/// <summary>The item was changed since the version the change expected (If-Match); nothing was changed.</summary>
public sealed record QueueItemVersionConflict(QueueItem Current) : QueueUpdateOutcome;

/// <summary>
/// Named queues of work items in the engine's database, for the HTTP API, the embedded client's service and (later)
/// scripts with run tokens. Every call runs its SQL on the thread pool, off the caller's (an actor's or a request's)
/// thread. Input is checked by the callers with <see cref="QueueRules"/> (they name the field as their protocol does);
/// what reaches here unchecked is a bug and throws <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// Taking work without two workers getting the same item: list <c>status=pending</c>, then change the first item with
/// <c>ExpectStatus = "pending"</c>. The change is one conditional UPDATE, so of two workers exactly one succeeds; the
/// other hears <see cref="QueueItemStatusConflict"/> and takes the next item.
/// </remarks>
public sealed class WorkQueues(QueueTables tables, TimeProvider clock)
{
    /// <summary>The queues in the node's database (<see cref="Persistence.EngineStore"/>'s), on the system clock.</summary>
    public static WorkQueues Of(Akka.Actor.ActorSystem system)
    {
        var database = Persistence.EngineStore.Get(system).Database;
        return new WorkQueues(new QueueTables(() => EngineDatabase.Open(database)), TimeProvider.System);
    }

    /// <summary>Adds an item with a new id (time-ordered, 32 hex digits); <paramref name="data"/> null is an empty object.</summary>
    public Task<QueueItem> Add(string queue, JsonElement? data, string? status, CancellationToken cancel = default)
    {
        Check(QueueRules.Queue(queue));
        var stored = Data(data ?? EmptyObject);
        var now = clock.GetUtcNow();
        var item = new QueueItem(Guid.CreateVersion7(now).ToString("N"), queue, status ?? QueueRules.DefaultStatus,
            JsonDocument.Parse(stored).RootElement.Clone(), now, now, 1);
        Check(QueueRules.Status(item.Status));
        return Task.Run(() =>
        {
            tables.Insert(item);
            return item;
        }, cancel);
    }

    /// <summary>The item, or null when the queue holds no item with that id.</summary>
    public Task<QueueItem?> Get(string queue, string id, CancellationToken cancel = default)
    {
        CheckItem(queue, id);
        return Task.Run(() => tables.Find(queue, id), cancel);
    }

    /// <summary>A page of the queue's items (an unknown queue is an empty one); <paramref name="query"/>'s limit is 1 to <see cref="MaxPageSize"/>.</summary>
    public async Task<QueueItemPage> List(QueueListQuery query, CancellationToken cancel = default)
    {
        Check(QueueRules.Queue(query.Queue));
        if (query.Status is { } status)
            Check(QueueRules.Status(status));
        if (query.Limit is < 1 or > MaxPageSize || (query.After is { } after && after.Sort != query.Sort))
            throw new ArgumentException($"A page holds 1 to {MaxPageSize} items and continues a cursor of its own sort.", nameof(query));
        var rows = await Task.Run(() => tables.List(query with { Limit = query.Limit + 1 }), cancel);
        var items = rows.Take(query.Limit).ToList();
        return new QueueItemPage(items, rows.Count > query.Limit ? QueueCursor.Of(items[^1], query.Sort).ToString() : null);
    }

    public const int MaxPageSize = 1000;

    /// <summary>
    /// Sets the status and/or the data (null: keep it), only while the item has <paramref name="expectStatus"/> and
    /// <paramref name="expectVersion"/> when they are given; a change bumps the version and updatedAt.
    /// </summary>
    public async Task<QueueUpdateOutcome> Update(string queue, string id, string? status, JsonElement? data, string? expectStatus = null,
        long? expectVersion = null, CancellationToken cancel = default)
    {
        CheckItem(queue, id);
        if (status is null && data is null)
            throw new ArgumentException("A change sets the status, the data or both.");
        if (status is not null)
            Check(QueueRules.Status(status));
        if (expectStatus is not null)
            Check(QueueRules.Status(expectStatus, "expectStatus"));
        var change = new QueueItemUpdate(status, data is { } given ? Data(given) : null, expectStatus, expectVersion, clock.GetUtcNow());
        return await Task.Run<QueueUpdateOutcome>(() =>
        {
            if (tables.Update(queue, id, change) is { } changed)
                return new QueueItemChanged(changed);
            // Nothing matched: the item is gone, or it was not as expected (read after the fact; either refusal is right).
            return tables.Find(queue, id) switch
            {
                null => new QueueItemMissing(),
                { } current when expectStatus is not null && current.Status != expectStatus => new QueueItemStatusConflict(current),
                { } current => new QueueItemVersionConflict(current),
            };
        }, cancel);
    }

    /// <summary>Whether the item existed (and is now gone).</summary>
    public Task<bool> Delete(string queue, string id, CancellationToken cancel = default)
    {
        CheckItem(queue, id);
        return Task.Run(() => tables.Delete(queue, id), cancel);
    }

    /// <summary>Every queue that holds items, by name, with its item counts by status.</summary>
    public Task<IReadOnlyList<QueueSummary>> Summaries(CancellationToken cancel = default) => Task.Run(tables.Summaries, cancel);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static string Data(JsonElement data)
    {
        Check(QueueRules.DataShape(data));
        var compact = QueueRules.Compact(data);
        Check(QueueRules.DataSize(compact));
        return compact;
    }

    private static void CheckItem(string queue, string id)
    {
        Check(QueueRules.Queue(queue));
        Check(QueueRules.ItemId(id));
    }

    private static void Check(ValidationError? problem)
    {
        if (problem is not null)
            throw new ArgumentException(problem.ToString());
    }
}
