using System.Data.Common;
using System.Text.Json;
using ActorScheduler.Core.Queues;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// A page of one queue's items in <paramref name="Sort"/> order, after the cursor <paramref name="After"/> (of the same
/// sort), only those with <paramref name="Status"/> when it is given.
/// </summary>
public sealed record QueueListQuery(string Queue, string? Status, QueueSort Sort, int Limit, QueueCursor? After);

/// <summary>
/// A change of one item: a new status and/or new data (compact JSON), made only while the item still has
/// <paramref name="ExpectStatus"/> and <paramref name="ExpectVersion"/> when they are given.
/// </summary>
public sealed record QueueItemUpdate(string? Status, string? Data, string? ExpectStatus, long? ExpectVersion, DateTimeOffset At);

/// <summary>
/// The work queues' items (<c>queue_items</c>), in the same database as the journal. Plain ADO.NET with SQL that SQLite
/// and PostgreSQL both accept (row values, UPDATE … RETURNING). Times are UTC ticks, as in the runs table. Every list
/// is an index range: one index per sort time, with and without the status in front, each ending in the item id that
/// orders items of the same time.
/// </summary>
/// <param name="connect">Returns a new open connection; the caller disposes it.</param>
public sealed class QueueTables(Func<DbConnection> connect)
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS queue_items (
          queue TEXT NOT NULL, item_id TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL,
          created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, version BIGINT NOT NULL,
          PRIMARY KEY (queue, item_id));
        CREATE INDEX IF NOT EXISTS queue_items_created ON queue_items (queue, created_at, item_id);
        CREATE INDEX IF NOT EXISTS queue_items_updated ON queue_items (queue, updated_at, item_id);
        CREATE INDEX IF NOT EXISTS queue_items_status_created ON queue_items (queue, status, created_at, item_id);
        CREATE INDEX IF NOT EXISTS queue_items_status_updated ON queue_items (queue, status, updated_at, item_id);
        """;

    private const string Columns = "item_id, queue, status, data, created_at, updated_at, version";

    /// <summary>Creates the table and its indexes where they do not exist yet (at start-up, under the schema lock).</summary>
    public void EnsureSchema()
    {
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    public void Insert(QueueItem item) =>
        Query($"INSERT INTO queue_items ({Columns}) VALUES (@id, @queue, @status, @data, @created, @updated, @version) RETURNING item_id",
            row => row.GetString(0),
            ("@id", item.Id), ("@queue", item.Queue), ("@status", item.Status), ("@data", QueueRules.Compact(item.Data)),
            ("@created", item.CreatedAt.UtcTicks), ("@updated", item.UpdatedAt.UtcTicks), ("@version", item.Version));

    public QueueItem? Find(string queue, string id) =>
        Query($"SELECT {Columns} FROM queue_items WHERE queue = @queue AND item_id = @id", ReadItem, ("@queue", queue), ("@id", id))
            .SingleOrDefault();

    /// <summary>
    /// A page in the query's order. The status filter and the cursor are fixed fragments added only when given, so the
    /// database picks the index that fits; the cursor is a row-value comparison on (sort time, id).
    /// </summary>
    public IReadOnlyList<QueueItem> List(QueueListQuery query)
    {
        var (sql, values) = ListStatement(query);
        return Query(sql, ReadItem, values);
    }

    /// <summary>The database's plan for <see cref="List"/> (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN), a line per step.</summary>
    public IReadOnlyList<string> ExplainList(QueueListQuery query)
    {
        var (sql, values) = ListStatement(query);
        using var probe = connect();
        var sqlite = probe is Microsoft.Data.Sqlite.SqliteConnection;
        return Query((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql, row => row.GetValue(sqlite ? 3 : 0).ToString() ?? "", values);
    }

    private static (string Sql, (string, object?)[] Values) ListStatement(QueueListQuery query)
    {
        var time = query.Sort.ByUpdate() ? "updated_at" : "created_at";
        var (direction, beyond) = query.Sort.Descending() ? ("DESC", "<") : ("ASC", ">");
        var where = new List<string> { "queue = @queue" };
        var values = new List<(string, object?)> { ("@queue", query.Queue), ("@limit", query.Limit) };
        if (query.Status is { } status)
        {
            where.Add("status = @status");
            values.Add(("@status", status));
        }
        if (query.After is { } after)
        {
            where.Add($"({time}, item_id) {beyond} (@afterAt, @afterId)");
            values.AddRange([("@afterAt", after.At.UtcTicks), ("@afterId", after.ItemId)]);
        }
        return ($"SELECT {Columns} FROM queue_items WHERE {string.Join(" AND ", where)} ORDER BY {time} {direction}, item_id {direction} LIMIT @limit",
            values.ToArray());
    }

    /// <summary>The item after the change, or null when no item matched (unknown, or not as expected: the caller reads which).</summary>
    public QueueItem? Update(string queue, string id, QueueItemUpdate change) =>
        Query($"""
            UPDATE queue_items SET status = COALESCE(@status, status), data = COALESCE(@data, data), updated_at = @at, version = version + 1
            WHERE queue = @queue AND item_id = @id AND (@expectStatus IS NULL OR status = @expectStatus)
              AND (@expectVersion IS NULL OR version = @expectVersion)
            RETURNING {Columns}
            """, ReadItem, ("@queue", queue), ("@id", id), ("@status", change.Status), ("@data", change.Data), ("@at", change.At.UtcTicks),
            ("@expectStatus", change.ExpectStatus), ("@expectVersion", (object?)change.ExpectVersion ?? NullOf.Int64))
            .SingleOrDefault();

    /// <summary>Whether the item existed (and is now gone).</summary>
    public bool Delete(string queue, string id) =>
        Query("DELETE FROM queue_items WHERE queue = @queue AND item_id = @id RETURNING item_id", row => row.GetString(0),
            ("@queue", queue), ("@id", id)).Count > 0;

    /// <summary>Every queue with its item counts by status, by name; a scan of the status index.</summary>
    public IReadOnlyList<QueueSummary> Summaries() =>
        Query("SELECT queue, status, COUNT(*) FROM queue_items GROUP BY queue, status",
                row => (Queue: row.GetString(0), Status: row.GetString(1), Count: row.GetInt64(2)))
            .GroupBy(row => row.Queue)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new QueueSummary(group.Key,
                group.OrderBy(row => row.Status, StringComparer.Ordinal).ToDictionary(row => row.Status, row => row.Count), group.Sum(row => row.Count)))
            .ToList();

    private static QueueItem ReadItem(DbDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), JsonDocument.Parse(row.GetString(3)).RootElement.Clone(),
        new DateTimeOffset(row.GetInt64(4), TimeSpan.Zero), new DateTimeOffset(row.GetInt64(5), TimeSpan.Zero), row.GetInt64(6));

    private List<T> Query<T>(string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] values) =>
        IndexTables.Query(connect, sql, row, values);
}
