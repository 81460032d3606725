using System.Globalization;
using System.Text.Json;

namespace ActorScheduler.Core.Queues;

/// <summary>
/// One item of a work queue as the API shows it. <paramref name="Version"/> starts at 1 and grows by one with every
/// change; it is the item's ETag, so a client can change an item only if nobody changed it since it read it.
/// </summary>
public sealed record QueueItem(
    string Id, string Queue, string Status, JsonElement Data, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version);

/// <summary>A queue and how many items it holds in each status; a queue exists while it holds items.</summary>
public sealed record QueueSummary(string Name, IReadOnlyDictionary<string, long> Counts, long Total);

/// <summary>The orders a queue's items are listed in; the wire names are <see cref="QueueSorts.Names"/>.</summary>
public enum QueueSort
{
    CreatedAt = 0,
    CreatedAtDescending = 1,
    UpdatedAt = 2,
    UpdatedAtDescending = 3,
}

public static class QueueSorts
{
    /// <summary>The wire names, as <c>sort=</c> takes them: a leading '-' is newest first.</summary>
    public static readonly IReadOnlyDictionary<QueueSort, string> Names = new Dictionary<QueueSort, string>
    {
        [QueueSort.CreatedAt] = "createdAt",
        [QueueSort.CreatedAtDescending] = "-createdAt",
        [QueueSort.UpdatedAt] = "updatedAt",
        [QueueSort.UpdatedAtDescending] = "-updatedAt",
    };

    public static bool TryParse(string? text, out QueueSort sort)
    {
        foreach (var (value, name) in Names)
            if (name == text)
            {
                sort = value;
                return true;
            }
        sort = default;
        return false;
    }

    public static string Name(this QueueSort sort) => Names[sort];

    public static bool ByUpdate(this QueueSort sort) => sort is QueueSort.UpdatedAt or QueueSort.UpdatedAtDescending;

    public static bool Descending(this QueueSort sort) => sort is QueueSort.CreatedAtDescending or QueueSort.UpdatedAtDescending;
}

/// <summary>
/// A place in a queue's list: the sort it belongs to, the sort time of the last item of a page and that item's id (ties
/// of time are ordered by id). Written <c>{sort}~{UTC ticks}~{itemId}</c>; clients treat it as opaque, and a cursor of
/// one sort is refused by another.
/// </summary>
public readonly record struct QueueCursor(QueueSort Sort, DateTimeOffset At, string ItemId)
{
    public static QueueCursor Of(QueueItem item, QueueSort sort) => new(sort, sort.ByUpdate() ? item.UpdatedAt : item.CreatedAt, item.Id);

    public override string ToString() => $"{Sort.Name()}~{At.UtcTicks.ToString(CultureInfo.InvariantCulture)}~{ItemId}";

    public static bool TryParse(string? text, out QueueCursor cursor)
    {
        cursor = default;
        var parts = text?.Split('~');
        if (parts is not { Length: 3 } || !QueueSorts.TryParse(parts[0], out var sort) ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks ||
            QueueRules.ItemId(parts[2]) is not null)
            return false;
        cursor = new QueueCursor(sort, new DateTimeOffset(ticks, TimeSpan.Zero), parts[2]);
        return true;
    }
}
