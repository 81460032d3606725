using ActorScheduler.Engine.Storage;
using ActorScheduler.Engine.Telemetry;
using Akka.Actor;

namespace ActorScheduler.Engine.Persistence;

/// <summary>
/// The node's storage, one per actor system (an Akka extension, because the journal plugins are created by Akka
/// from HOCON and find it here as everyone else does): the database, the recovery reads, the job index, and the one
/// writer of the journal's tables. Every journal row — events, snapshots, new jobs — goes through <see cref="Writer"/>:
/// writes queue together and go one transaction at a time, so they never wait on each other's locks (SQLite has one
/// writer; its busy handler sleeps up to 100 ms at a time).
/// </summary>
public sealed class EngineStore : IExtension
{
    /// <summary>Reads per query at most (recoveries in progress share one).</summary>
    public const int MaxBatch = 200;

    /// <summary>Writes per transaction at most.</summary>
    public const int MaxWriteBatch = 1_000;

    private readonly ExtendedActorSystem _system;

    public EngineStore(ExtendedActorSystem system)
    {
        _system = system;
        Database = DatabaseSettings.From(system.Settings.Config);
        var database = Database;
        Health = new StorageHealth(() => EngineDatabase.Open(database), !database.IsPostgres, system.Log, system.EventStream, TimeProvider.System,
            () => EngineDatabase.ClearPools(database));
        // Every connection and every write reports a database that cannot be used to Health, which starts an outage.
        Func<System.Data.Common.DbConnection> connect = () =>
        {
            try
            {
                return EngineDatabase.Open(database);
            }
            catch (Exception e)
            {
                Health.Failed(e);
                throw;
            }
        };
        Reads = new JournalReads(connect);
        Index = new IndexTables(connect);
        var write = EngineMetrics.TimedCommits<TableWrite, WriteOutcome>(new JournalTables(connect).Write);
        Writer = new SingleFlightBatcher<TableWrite, WriteOutcome>(writes => Reported(write, writes), MaxWriteBatch);
    }

    /// <summary>Whether the database can be used now; outages are noticed by every connection and write.</summary>
    public StorageHealth Health { get; }

    private IReadOnlyList<WriteOutcome> Reported(Func<IReadOnlyList<TableWrite>, IReadOnlyList<WriteOutcome>> write, IReadOnlyList<TableWrite> writes)
    {
        try
        {
            var outcomes = write(writes);
            foreach (var outcome in outcomes)
                if (outcome is WriteFailed failed)
                    Health.Failed(failed.Error);
            return outcomes;
        }
        catch (Exception e)
        {
            Health.Failed(e);
            throw;
        }
    }

    public DatabaseSettings Database { get; }

    public JournalReads Reads { get; }

    public IndexTables Index { get; }

    public SingleFlightBatcher<TableWrite, WriteOutcome> Writer { get; }

    public static EngineStore Get(ActorSystem system) => system.WithExtension<EngineStore, EngineStoreProvider>();

    /// <summary>A journal row for <paramref name="payload"/>, encoded as the journal plugin encodes it.</summary>
    public NewEvent Encode(string persistenceId, long sequenceNr, long timestamp, object payload, string tags = "")
    {
        var (bytes, serializerId, manifest) = PluginSupport.Serialize(_system, payload);
        return new NewEvent(persistenceId, sequenceNr, timestamp, bytes, serializerId, manifest, tags);
    }
}

public sealed class EngineStoreProvider : ExtensionIdProvider<EngineStore>
{
    public override EngineStore CreateExtension(ExtendedActorSystem system) => new(system);
}
