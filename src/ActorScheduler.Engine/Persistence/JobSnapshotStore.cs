using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace ActorScheduler.Engine.Persistence;

/// <summary>
/// Akka.Persistence.Sql's snapshot store with the recovery read batched: the snapshot loads of all recoveries in
/// progress are one query. Saving and deleting are the plugin's.
/// </summary>
public sealed class JobSnapshotStore : SqlSnapshotStore
{
    private readonly SingleFlightBatcher<string, IReadOnlyList<StoredSnapshot>>? _snapshots;
    private readonly Akka.Serialization.Serialization _serialization;

    public JobSnapshotStore(Config snapshotConfig) : base(snapshotConfig)
    {
        _serialization = Context.System.Serialization;
        if (PluginSupport.UsesOurSql(snapshotConfig))
            _snapshots = new SingleFlightBatcher<string, IReadOnlyList<StoredSnapshot>>(PluginSupport.Tables(Context.System).Snapshots, JobJournal.MaxBatch);
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
        var snapshot = PluginSupport.Deserialize(_serialization, stored.Payload, stored.SerializerId, stored.Manifest);
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, stored.SequenceNr, new DateTime(stored.Timestamp)), snapshot);
    }
}
