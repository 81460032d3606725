using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Sql.Journal;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal (its tables, its row format, its read journal for history) with the hot paths
/// in plain SQL through the node's <see cref="EngineStore"/>: appends of all jobs writing at once go in one transaction
/// with one prepared insert, and the reads of all recoveries in progress go to the database together, one query
/// for dozens of jobs. Deletes, table creation and queries stay the plugin's.
/// </summary>
/// <remarks>
/// Measured before this (docs/BENCHMARKS.md, "Where the time goes"): a recovery cost about 3 ms of CPU on 2 cores
/// in two linq2db queries and an Akka Streams graph per job, which bound a burst of jobs created seconds before
/// to about 1,000 fires/s; and the plugin's write path spent much of each batch rendering rows as SQL text.
/// Other table mappings, the delete-compatibility metadata table or a tag table leave everything to the plugin.
/// </remarks>
public sealed class JobJournal : SqlWriteJournal
{
    private readonly EngineStore? _store;
    private readonly SingleFlightBatcher<string, long>? _highest;
    private readonly SingleFlightBatcher<ReplayRequest, IReadOnlyList<StoredEvent>>? _events;
    private readonly ConcurrentDictionary<string, Task> _writes = new();
    private readonly ExtendedActorSystem _system;
    private readonly string _tagSeparator;

    public JobJournal(Config journalConfig) : base(journalConfig)
    {
        _system = (ExtendedActorSystem)Context.System;
        _tagSeparator = journalConfig.GetString("tag-separator", ";");
        if (!PluginSupport.UsesOurSql(journalConfig))
            return;
        _store = EngineStore.Get(Context.System);
        _highest = new SingleFlightBatcher<string, long>(_store.Reads.HighestSequenceNrs, EngineStore.MaxBatch);
        _events = new SingleFlightBatcher<ReplayRequest, IReadOnlyList<StoredEvent>>(_store.Reads.Events, EngineStore.MaxBatch);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_highest is null)
            return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        // As the plugin does: a write of this id still in progress (its actor stopped meanwhile) must land first.
        if (_writes.TryGetValue(persistenceId, out var pending))
            await pending.ContinueWith(static _ => { }, TaskScheduler.Default);
        var highest = await _highest.Enqueue(persistenceId);
        return highest > fromSequenceNr ? highest : 0;
    }

    public override async Task ReplayMessagesAsync(
        IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        if (_events is null)
        {
            await base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
            return;
        }
        var events = await _events.Enqueue(new ReplayRequest(persistenceId, Math.Max(1, fromSequenceNr), toSequenceNr, max));
        foreach (var stored in events)
        {
            var payload = PluginSupport.DeserializeOrMark(_system.Serialization, persistenceId, stored.SequenceNr, stored.Payload, stored.SerializerId, stored.Manifest);
            recoveryCallback(new Persistent(payload, stored.SequenceNr, persistenceId, stored.Manifest ?? "", isDeleted: false,
                ActorRefs.NoSender, stored.WriterUuid, stored.Timestamp));
        }
    }

    /// <summary>
    /// One call is one job's batch. An event that cannot be serialized rejects its atomic write (the job carries
    /// on without it, as with the plugin); a database failure fails the call (the job stops and recovers).
    /// </summary>
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        if (_store is null)
            return Track(messages.ToList(), writes => base.WriteMessagesAsync(writes, cancellationToken));
        return Track(messages.ToList(), AppendAsync);
    }

    private async Task<IImmutableList<Exception>> AppendAsync(IReadOnlyList<AtomicWrite> writes)
    {
        var created = DateTime.UtcNow.Ticks;
        var rejections = new Exception?[writes.Count];
        var rows = new List<NewEvent>();
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var events = ((IImmutableList<IPersistentRepresentation>)writes[i].Payload).Select(e => Row(e, created)).ToList();
                rows.AddRange(events);
            }
            catch (Exception e)
            {
                rejections[i] = e;
            }
        }
        if (rows.Count > 0 && await _store!.Writer.Enqueue(new AppendEvents(rows)) is WriteFailed failed)
            throw failed.Error;
        return rejections.All(r => r is null) ? null! : rejections.Select(r => r!).ToImmutableList();
    }

    private NewEvent Row(IPersistentRepresentation e, long created)
    {
        var (payload, tags) = e.Payload is Tagged tagged
            ? (tagged.Payload, tagged.Tags.Count == 0 ? "" : $"{_tagSeparator}{string.Join(_tagSeparator, tagged.Tags)}{_tagSeparator}")
            : (e.Payload, "");
        return _store!.Encode(e.PersistenceId, e.SequenceNr, e.Timestamp == 0 ? created : e.Timestamp, payload, tags);
    }

    /// <summary>Remembers a write in progress per persistence id until it ends (see <see cref="ReadHighestSequenceNrAsync"/>).</summary>
    private Task<IImmutableList<Exception>> Track(IReadOnlyList<AtomicWrite> writes, Func<IReadOnlyList<AtomicWrite>, Task<IImmutableList<Exception>>> write)
    {
        var written = write(writes);
        foreach (var persistenceId in writes.Select(w => w.PersistenceId).Distinct())
        {
            var entry = KeyValuePair.Create(persistenceId, (Task)written);
            _writes[persistenceId] = written;
            written.ContinueWith(_ => _writes.TryRemove(entry), TaskScheduler.Default);
        }
        return written;
    }
}
