using System.Data.Common;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The one writer's table access: appends, snapshot saves and deletes, and new jobs (first event and index row), in
/// plain SQL that SQLite and PostgreSQL both accept, against Akka.Persistence.Sql's default tables (<c>journal</c>,
/// <c>snapshot</c>) with the plugin's row format, and the job index (<see cref="IndexTables"/>).
/// </summary>
public sealed class JournalTables(Func<DbConnection> connect)
{
    private readonly string _writerUuid = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Stores the writes in order, all in one transaction. If that fails, each write is tried in a transaction of
    /// its own, so one bad write (a sequence number already taken) fails alone. Answers each write's outcome.
    /// </summary>
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<TableWrite> writes)
    {
        try
        {
            return WriteInOneTransaction(writes);
        }
        catch (Exception) when (writes.Count > 1)
        {
            var outcomes = new WriteOutcome[writes.Count];
            for (var i = 0; i < writes.Count; i++)
            {
                try
                {
                    outcomes[i] = WriteInOneTransaction([writes[i]])[0];
                }
                catch (Exception e)
                {
                    outcomes[i] = new WriteFailed(e);
                }
            }
            return outcomes;
        }
    }

    /// <summary>On PostgreSQL the rows of a batch are one insert, in the order given (so is their <c>ordering</c>).</summary>
    private static readonly RowStatement InsertEvent = RowStatement.Insert("""
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        VALUES (@created, @deleted, @pid, @seq, @message, @tags, @manifest, @identifier, @writer)
        """);

    /// <summary>
    /// Only where the id has no journal at all: a job retention removed keeps one event (JobRemoved). On PostgreSQL
    /// one insert for all the jobs, answering the ids it stored.
    /// </summary>
    private static readonly RowStatement InsertFirstEvent = new("""
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        SELECT @created, @deleted, @pid, @seq, @message, @tags, @manifest, @identifier, @writer
        WHERE NOT EXISTS (SELECT 1 FROM journal WHERE persistence_id = @pid)
        ON CONFLICT (persistence_id, sequence_number) DO NOTHING
        """, """
        INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        SELECT * FROM unnest(@created, @deleted, @pid, @seq, @message, @tags, @manifest, @identifier, @writer)
          AS first (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
        WHERE NOT EXISTS (SELECT 1 FROM journal WHERE journal.persistence_id = first.persistence_id)
        ON CONFLICT (persistence_id, sequence_number) DO NOTHING
        RETURNING persistence_id
        """, Key: "@pid");

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

    private WriteOutcome[] WriteInOneTransaction(IReadOnlyList<TableWrite> writes)
    {
        using var connection = connect();
        using var transaction = connection.BeginTransaction();
        using var statements = SqlStatements.For(connection, transaction);
        var outcomes = new WriteOutcome[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            switch (writes[i])
            {
                case AppendEvents append:
                    foreach (var e in append.Events)
                        statements.AddRow(InsertEvent, EventValues(e));
                    break;
                case WriteSnapshot save:
                    statements.Add(UpsertSnapshot,
                        ("@pid", save.PersistenceId), ("@seq", save.SequenceNr), ("@created", save.Timestamp), ("@snapshot", save.Payload),
                        ("@manifest", save.Manifest), ("@serializer", save.SerializerId));
                    break;
                case DropSnapshots delete:
                    statements.Add(DeleteSnapshotRange,
                        ("@pid", delete.PersistenceId), ("@minSeq", delete.MinSequenceNr), ("@maxSeq", delete.MaxSequenceNr),
                        ("@minCreated", delete.MinTimestamp), ("@maxCreated", delete.MaxTimestamp));
                    break;
                case CreateJobs create:
                    outcomes[i] = Create(statements, create);
                    break;
                case RetentionWrite retention:
                    outcomes[i] = RetentionStatements.Apply(statements, retention);
                    break;
                default:
                    throw new ArgumentException($"Unknown table write {writes[i].GetType().Name}.", nameof(writes));
            }
            outcomes[i] ??= WriteOutcome.Stored;
        }
        statements.Execute();
        transaction.Commit();
        return outcomes;
    }

    /// <summary>
    /// Inserts each job's first event if its id has none, then the index rows of the jobs that were: two sends on
    /// PostgreSQL (the second depends on what the first inserted), statements run as added on SQLite.
    /// </summary>
    private JobsCreated Create(SqlStatements statements, CreateJobs create)
    {
        var created = statements.RunEach(InsertFirstEvent, create.Jobs.Select(job => EventValues(job.FirstEvent)).ToList());
        IndexTables.AddUpserts(statements, create.Jobs.Where((_, i) => created[i]).Select(job => job.Row));
        return new JobsCreated(created);
    }

    private (string Name, object? Value)[] EventValues(NewEvent e) =>
    [
        ("@created", e.Timestamp), ("@deleted", false), ("@pid", e.PersistenceId), ("@seq", e.SequenceNr),
        ("@message", e.Payload), ("@tags", e.Tags), ("@manifest", e.Manifest), ("@identifier", e.SerializerId),
        ("@writer", _writerUuid),
    ];
}
