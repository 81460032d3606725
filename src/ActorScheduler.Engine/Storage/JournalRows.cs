using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Storage;

/// <summary>What a recovery asks the journal: events <c>From</c>..<c>To</c> (at most <c>Max</c>) of one persistence id.</summary>
public sealed record ReplayRequest(string PersistenceId, long From, long To, long Max);

/// <summary>One stored event as the journal plugin wrote it; the payload is deserialized by the caller.</summary>
public sealed record StoredEvent(long SequenceNr, long Timestamp, byte[] Payload, int? SerializerId, string? Manifest, string? WriterUuid);

/// <summary>One stored snapshot as the snapshot plugin wrote it.</summary>
public sealed record StoredSnapshot(long SequenceNr, long Timestamp, byte[] Payload, int? SerializerId, string? Manifest);

/// <summary>One event to append, serialized, with the columns the journal plugin writes.</summary>
public sealed record NewEvent(string PersistenceId, long SequenceNr, long Timestamp, byte[] Payload, int SerializerId, string Manifest, string Tags);

/// <summary>A new job: its first event (sequence number 1) and its index row.</summary>
public sealed record NewJob(NewEvent FirstEvent, JobIndexRow Row);

/// <summary>
/// A write to the journal's tables; many go to the database in one transaction (<see cref="JournalTables.Write"/>),
/// each answered with its own <see cref="WriteOutcome"/>.
/// </summary>
public abstract record TableWrite;

/// <summary>One writer's batch of events (an atomic unit: all stored or none).</summary>
public sealed record AppendEvents(IReadOnlyList<NewEvent> Events) : TableWrite;

/// <summary>Stores a snapshot, replacing one stored at the same sequence number.</summary>
public sealed record WriteSnapshot(string PersistenceId, long SequenceNr, long Timestamp, byte[] Payload, int SerializerId, string Manifest) : TableWrite;

/// <summary>Deletes the snapshots of one id within the bounds (inclusive; timestamps in ticks).</summary>
public sealed record DropSnapshots(string PersistenceId, long MaxSequenceNr, long MaxTimestamp, long MinSequenceNr, long MinTimestamp) : TableWrite;

/// <summary>
/// Creates jobs without their entities (the bulk create path): each job's first event unless its persistence id has
/// one already (the id is taken), and the index rows of the jobs created, in the same transaction.
/// </summary>
public sealed record CreateJobs(IReadOnlyList<NewJob> Jobs) : TableWrite;

/// <summary>How one <see cref="TableWrite"/> ended: a closed set.</summary>
public abstract record WriteOutcome
{
    private protected WriteOutcome()
    {
    }

    public static readonly WriteOutcome Stored = new StoredOutcome();

    private sealed record StoredOutcome : WriteOutcome;
}

/// <summary>A <see cref="CreateJobs"/> committed: for each job, whether it was created (false: its id was taken).</summary>
public sealed record JobsCreated(IReadOnlyList<bool> Created) : WriteOutcome;

/// <summary>The write was not stored (its transaction, alone, failed).</summary>
public sealed record WriteFailed(Exception Error) : WriteOutcome;
