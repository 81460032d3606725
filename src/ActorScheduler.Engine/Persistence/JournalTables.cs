using System.Data.Common;
using System.Text;

namespace ActorScheduler.Engine.Persistence;

/// <summary>What a recovery asks the journal: events <c>From</c>..<c>To</c> (at most <c>Max</c>) of one persistence id.</summary>
public sealed record ReplayRequest(string PersistenceId, long From, long To, long Max);

/// <summary>One stored event as the journal plugin wrote it; the payload is deserialized by the caller.</summary>
public sealed record StoredEvent(long SequenceNr, long Timestamp, byte[] Payload, int? SerializerId, string? Manifest, string? WriterUuid);

/// <summary>One event to append, serialized, with the columns the journal plugin writes.</summary>
public sealed record NewEvent(string PersistenceId, long SequenceNr, long Timestamp, byte[] Payload, int SerializerId, string Manifest, string Tags);

/// <summary>A write to the journal's tables; many go to the database in one transaction (<see cref="JournalTables.Write"/>).</summary>
public abstract record TableWrite;

/// <summary>One writer's batch of events (an atomic unit: all stored or none).</summary>
public sealed record AppendEvents(IReadOnlyList<NewEvent> Events) : TableWrite;

/// <summary>Stores a snapshot, replacing one stored at the same sequence number.</summary>
public sealed record SaveSnapshot(string PersistenceId, long SequenceNr, long Timestamp, byte[] Payload, int SerializerId, string Manifest) : TableWrite;

/// <summary>Deletes the snapshots of one id within the bounds (inclusive; timestamps in ticks).</summary>
public sealed record DeleteSnapshots(string PersistenceId, long MaxSequenceNr, long MaxTimestamp, long MinSequenceNr, long MinTimestamp) : TableWrite;

/// <summary>One stored snapshot as the snapshot plugin wrote it.</summary>
public sealed record StoredSnapshot(long SequenceNr, long Timestamp, byte[] Payload, int? SerializerId, string? Manifest);

/// <summary>
/// The journal's hot paths in plain SQL that SQLite and PostgreSQL both accept, against the tables of
/// Akka.Persistence.Sql's default table mapping (<c>journal</c>, <c>snapshot</c>), with the plugin's semantics:
/// appends of many writers in one transaction; and the reads a recovery makes, for many persistence ids in one
/// query each (the highest sequence number counts deleted rows, as it must never go back; a replay skips them).
/// </summary>
public sealed class JournalTables(Func<DbConnection> connect)
{
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Stores the writes in order, all in one transaction. If that fails, each write is tried in a transaction
    /// of its own, so one bad write (a sequence number already taken) fails alone. The answer holds each write's
    /// error, or null when it was stored.
    /// </summary>
    public IReadOnlyList<Exception?> Write(IReadOnlyList<TableWrite> writes)
    {
        try
        {
            WriteInOneTransaction(writes);
            return new Exception?[writes.Count];
        }
        catch (Exception) when (writes.Count > 1)
        {
            var errors = new Exception?[writes.Count];
            for (var i = 0; i < writes.Count; i++)
            {
                try
                {
                    WriteInOneTransaction([writes[i]]);
                }
                catch (Exception e)
                {
                    errors[i] = e;
                }
            }
            return errors;
        }
    }

    private const string InsertEvent = """
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        VALUES (@created, @deleted, @pid, @seq, @message, @tags, @manifest, @identifier, @writer)
        """;

    private const string UpsertSnapshot = """
        INSERT INTO snapshot (persistence_id, sequence_number, created, snapshot, manifest, serializer_id)
        VALUES (@pid, @seq, @created, @snapshot, @manifest, @serializer)
        ON CONFLICT (persistence_id, sequence_number) DO UPDATE SET created = excluded.created, snapshot = excluded.snapshot,
          manifest = excluded.manifest, serializer_id = excluded.serializer_id
        """;

    private const string DeleteSnapshotRange = """
        DELETE FROM snapshot WHERE persistence_id = @pid AND sequence_number BETWEEN @minSeq AND @maxSeq
          AND created BETWEEN @minCreated AND @maxCreated
        """;

    private void WriteInOneTransaction(IReadOnlyList<TableWrite> writes)
    {
        using var connection = connect();
        using var transaction = connection.BeginTransaction();
        using var statements = SqlStatements.For(connection, transaction);
        foreach (var write in writes)
        {
            switch (write)
            {
                case AppendEvents append:
                    foreach (var e in append.Events)
                        statements.Add(InsertEvent,
                            ("@created", e.Timestamp), ("@deleted", false), ("@pid", e.PersistenceId), ("@seq", e.SequenceNr),
                            ("@message", e.Payload), ("@tags", e.Tags), ("@manifest", e.Manifest), ("@identifier", e.SerializerId),
                            ("@writer", _writerUuid));
                    break;
                case SaveSnapshot save:
                    statements.Add(UpsertSnapshot,
                        ("@pid", save.PersistenceId), ("@seq", save.SequenceNr), ("@created", save.Timestamp), ("@snapshot", save.Payload),
                        ("@manifest", save.Manifest), ("@serializer", save.SerializerId));
                    break;
                case DeleteSnapshots delete:
                    statements.Add(DeleteSnapshotRange,
                        ("@pid", delete.PersistenceId), ("@minSeq", delete.MinSequenceNr), ("@maxSeq", delete.MaxSequenceNr),
                        ("@minCreated", delete.MinTimestamp), ("@maxCreated", delete.MaxTimestamp));
                    break;
                default:
                    throw new ArgumentException($"Unknown table write {write.GetType().Name}.", nameof(writes));
            }
        }
        statements.Execute();
        transaction.Commit();
    }

    /// <summary>Each id's highest stored sequence number, or 0 when it has none.</summary>
    public IReadOnlyList<long> HighestSequenceNrs(IReadOnlyList<string> persistenceIds)
    {
        var distinct = persistenceIds.Distinct().ToList();
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT persistence_id, MAX(sequence_number) FROM journal WHERE persistence_id IN ({Parameters(command, "p", distinct)}) GROUP BY persistence_id";
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
        // One indexed range per id (journal_uq is persistence_id, sequence_number): a job recovered from a late
        // snapshot reads only the events after it, however long its history.
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
        command.CommandText = $"""
            SELECT persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid FROM journal
            WHERE NOT deleted AND ({ranges}) ORDER BY persistence_id, sequence_number
            """;
        var byId = new Dictionary<string, List<StoredEvent>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!byId.TryGetValue(id, out var events))
                    byId[id] = events = new List<StoredEvent>();
                events.Add(new StoredEvent(reader.GetInt64(1), reader.GetInt64(2), (byte[])reader.GetValue(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4), NullableString(reader, 5), NullableString(reader, 6)));
            }
        }
        // The same id twice in one batch (not expected: one recovery per id at a time) gets each its own range.
        return requests.Select(request => (IReadOnlyList<StoredEvent>)(byId.TryGetValue(request.PersistenceId, out var events)
                ? events.Where(e => e.SequenceNr >= request.From && e.SequenceNr <= request.To)
                    .Take((int)Math.Min(request.Max, int.MaxValue)).ToList()
                : []))
            .ToList();
    }

    /// <summary>Each id's stored snapshots, highest sequence number first.</summary>
    public IReadOnlyList<IReadOnlyList<StoredSnapshot>> Snapshots(IReadOnlyList<string> persistenceIds)
    {
        var distinct = persistenceIds.Distinct().ToList();
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT persistence_id, sequence_number, created, snapshot, serializer_id, manifest FROM snapshot
            WHERE persistence_id IN ({Parameters(command, "p", distinct)}) ORDER BY persistence_id, sequence_number DESC
            """;
        var byId = new Dictionary<string, List<StoredSnapshot>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                if (!byId.TryGetValue(id, out var snapshots))
                    byId[id] = snapshots = new List<StoredSnapshot>();
                snapshots.Add(new StoredSnapshot(reader.GetInt64(1), Ticks(reader.GetValue(2)),
                    reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), NullableString(reader, 5)));
            }
        }
        return persistenceIds.Select(id => (IReadOnlyList<StoredSnapshot>)(byId.TryGetValue(id, out var snapshots) ? snapshots : [])).ToList();
    }

    private static string Parameters(DbCommand command, string prefix, IReadOnlyList<string> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            Add(command, names[i], values[i]);
        }
        return string.Join(", ", names);
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
