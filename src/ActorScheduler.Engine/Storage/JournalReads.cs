using System.Data.Common;
using System.Text;
using Npgsql;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The reads a recovery makes, in plain SQL against Akka.Persistence.Sql's default tables (<c>journal</c>,
/// <c>snapshot</c>), for many persistence ids in one query each. The highest sequence number counts deleted rows,
/// as it must never go back; a replay skips them.
/// </summary>
public sealed class JournalReads(Func<DbConnection> connect)
{
    /// <summary>Each id's highest stored sequence number, or 0 when it has none.</summary>
    public IReadOnlyList<long> HighestSequenceNrs(IReadOnlyList<string> persistenceIds)
    {
        var distinct = persistenceIds.Distinct().ToList();
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT persistence_id, MAX(sequence_number) FROM journal WHERE {IdIn(command, distinct)} GROUP BY persistence_id";
        var highest = new Dictionary<string, long>(distinct.Count);
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                highest[reader.GetString(0)] = reader.GetInt64(1);
        return persistenceIds.Select(id => highest.GetValueOrDefault(id)).ToList();
    }

    /// <summary>Each request's events in sequence order, deleted ones left out.</summary>
    public IReadOnlyList<IReadOnlyList<StoredEvent>> Events(IReadOnlyList<ReplayRequest> requests)
    {
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText = connection is NpgsqlConnection ? RangesOfArrays(command, requests) : Ranges(command, requests);
        var byId = ReadById(command, reader => new StoredEvent(reader.GetInt64(1), reader.GetInt64(2), (byte[])reader.GetValue(3),
            reader.IsDBNull(4) ? null : reader.GetInt32(4), NullableString(reader, 5), NullableString(reader, 6)));
        // The same id twice in one batch (not expected: one recovery per id at a time) gets each its own range.
        return requests.Select(request => (IReadOnlyList<StoredEvent>)(byId.TryGetValue(request.PersistenceId, out var events)
                ? events.Where(e => e.SequenceNr >= request.From && e.SequenceNr <= request.To)
                    .Take((int)Math.Min(request.Max, int.MaxValue)).ToList()
                : []))
            .ToList();
    }

    /// <summary>
    /// One indexed range per id (journal_uq is persistence_id, sequence_number): a job recovered from a late snapshot
    /// reads only the events after it, however long its history.
    /// </summary>
    private static string Ranges(DbCommand command, IReadOnlyList<ReplayRequest> requests)
    {
        var ranges = new StringBuilder();
        for (var i = 0; i < requests.Count; i++)
        {
            if (i > 0)
                ranges.Append(" OR ");
            ranges.Append($"(persistence_id = @p{i} AND sequence_number BETWEEN @f{i} AND @t{i})");
            Add(command, $"@p{i}", requests[i].PersistenceId);
            Add(command, $"@f{i}", requests[i].From);
            Add(command, $"@t{i}", requests[i].To);
        }
        return $"""
            SELECT persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid FROM journal
            WHERE NOT deleted AND ({ranges}) ORDER BY persistence_id, sequence_number
            """;
    }

    /// <summary>
    /// PostgreSQL: the same ranges as arrays (one per id, spanning its requests), joined to the journal: one statement
    /// text whatever the batch, so a connection plans it once.
    /// </summary>
    private static string RangesOfArrays(DbCommand command, IReadOnlyList<ReplayRequest> requests)
    {
        var ranges = requests.GroupBy(request => request.PersistenceId)
            .Select(id => (Id: id.Key, From: id.Min(request => request.From), To: id.Max(request => request.To)))
            .ToList();
        Add(command, "@p", ranges.Select(range => range.Id).ToArray());
        Add(command, "@f", ranges.Select(range => range.From).ToArray());
        Add(command, "@t", ranges.Select(range => range.To).ToArray());
        return """
            SELECT j.persistence_id, j.sequence_number, j.created, j.message, j.identifier, j.manifest, j.writer_uuid
            FROM unnest(@p, @f, @t) AS r (persistence_id, first, last)
            JOIN journal j ON j.persistence_id = r.persistence_id AND j.sequence_number BETWEEN r.first AND r.last
            WHERE NOT j.deleted ORDER BY j.persistence_id, j.sequence_number
            """;
    }

    /// <summary>Each id's stored snapshots, highest sequence number first.</summary>
    public IReadOnlyList<IReadOnlyList<StoredSnapshot>> Snapshots(IReadOnlyList<string> persistenceIds)
    {
        var distinct = persistenceIds.Distinct().ToList();
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT persistence_id, sequence_number, created, snapshot, serializer_id, manifest FROM snapshot
            WHERE {IdIn(command, distinct)} ORDER BY persistence_id, sequence_number DESC
            """;
        var byId = ReadById(command, reader => new StoredSnapshot(reader.GetInt64(1), Ticks(reader.GetValue(2)),
            reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), NullableString(reader, 5)));
        return persistenceIds.Select(id => (IReadOnlyList<StoredSnapshot>)(byId.TryGetValue(id, out var snapshots) ? snapshots : [])).ToList();
    }

    /// <summary>The rows of <paramref name="command"/> grouped by their first column (the persistence id), in the order read.</summary>
    private static Dictionary<string, List<T>> ReadById<T>(DbCommand command, Func<DbDataReader, T> read)
    {
        var byId = new Dictionary<string, List<T>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            if (!byId.TryGetValue(id, out var rows))
                byId[id] = rows = new List<T>();
            rows.Add(read(reader));
        }
        return byId;
    }

    /// <summary>
    /// <c>persistence_id</c> among <paramref name="ids"/>: on PostgreSQL one array parameter (one statement text for
    /// any number of ids), on SQLite a parameter each.
    /// </summary>
    private static string IdIn(DbCommand command, IReadOnlyList<string> ids)
    {
        if (command is NpgsqlCommand)
        {
            Add(command, "@ids", ids.ToArray());
            return "persistence_id = ANY(@ids)";
        }
        var names = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            names[i] = $"@p{i}";
            Add(command, names[i], ids[i]);
        }
        return $"persistence_id IN ({string.Join(", ", names)})";
    }

    private static DbParameter Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // The plugin stores a snapshot's time as ticks; a table mapped to a timestamp column gives a DateTime.
    private static long Ticks(object value) => value switch
    {
        DateTime time => time.Ticks,
        _ => Convert.ToInt64(value),
    };
}
