using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Persistence;

/// <summary>
/// Akka.Persistence.Sql's snapshot store (its table and row format) with the hot paths in our SQL: the snapshot
/// loads of all recoveries in progress are one query, and saves and deletes go through the node's one journal
/// writer (<see cref="EngineStore.Writer"/>), many per transaction. Jobs that run in step snapshot in step;
/// one transaction each, through the plugin, stalled every other write for seconds.
/// </summary>
public sealed class JobSnapshotStore : SqlSnapshotStore
{
    private readonly SingleFlightBatcher<string, IReadOnlyList<StoredSnapshot>>? _snapshots;
    private readonly SingleFlightBatcher<TableWrite, WriteOutcome>? _writer;
    private readonly ExtendedActorSystem _system;

    public JobSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _system = (ExtendedActorSystem)Context.System;
        if (!PluginSupport.UsesOurSql(snapshotConfig))
            return;
        var store = EngineStore.Get(Context.System);
        _snapshots = new SingleFlightBatcher<string, IReadOnlyList<StoredSnapshot>>(store.Reads.Snapshots, EngineStore.MaxBatch);
        _writer = store.Writer;
    }

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            await base.SaveAsync(metadata, snapshot, cancellationToken);
            return;
        }
        var (bytes, serializerId, manifest) = PluginSupport.Serialize(_system, snapshot);
        var save = new WriteSnapshot(metadata.PersistenceId, metadata.SequenceNr, metadata.Timestamp.Ticks, bytes, serializerId, manifest);
        if (await _writer.Enqueue(save) is WriteFailed failed)
            throw failed.Error;
    }

    protected override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            await base.DeleteAsync(persistenceId, criteria, cancellationToken);
            return;
        }
        var delete = new DropSnapshots(persistenceId, criteria.MaxSequenceNr, criteria.MaxTimeStamp.Ticks, criteria.MinSequenceNr,
            criteria.MinTimestamp?.Ticks ?? DateTime.MinValue.Ticks);
        if (await _writer.Enqueue(delete) is WriteFailed failed)
            throw failed.Error;
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        if (_snapshots is null)
            return await base.LoadAsync(persistenceId, criteria, cancellationToken);
        // Highest sequence number first: the first one the criteria admit is the one to offer.
        var stored = (await _snapshots.Enqueue(persistenceId)).FirstOrDefault(s =>
            s.SequenceNr <= criteria.MaxSequenceNr && s.Timestamp <= criteria.MaxTimeStamp.Ticks &&
            s.SequenceNr >= criteria.MinSequenceNr && (criteria.MinTimestamp is not { } min || s.Timestamp >= min.Ticks));
        if (stored is null)
            return null;
        var snapshot = PluginSupport.DeserializeOrMark(_system.Serialization, persistenceId, stored.SequenceNr, stored.Payload, stored.SerializerId, stored.Manifest);
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, stored.SequenceNr, new DateTime(stored.Timestamp)), snapshot);
    }
}
