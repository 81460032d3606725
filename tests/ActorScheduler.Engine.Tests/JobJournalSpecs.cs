using System.Data.Common;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit.Xunit2;
using Npgsql;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// <see cref="JobJournal"/> and <see cref="JobSnapshotStore"/> (the plugin's tables, our SQL on the hot paths)
/// under real persistent actors, on each database the engine supports. What a recovery sees must be exactly what
/// the actor persisted, whatever else recovers in the same batch.
/// </summary>
public abstract class JobJournalSpecs : TestKit
{
    private readonly TestDatabase _database;

    protected JobJournalSpecs(TestDatabase database) : base(database.Config) => _database = database;

    /// <summary>Persists every string it is told; answers <see cref="Report"/> with what it recovered and holds.</summary>
    private sealed class Recorder : ReceivePersistentActor
    {
        public sealed record Report;

        public sealed record State(string? Snapshot, long SnapshotSequenceNr, IReadOnlyList<string> Replayed, IReadOnlyList<string> Events, long LastSequenceNr);

        public sealed record Snap;

        public sealed record Delete(long ToSequenceNr);

        private readonly List<string> _replayed = new();
        private readonly List<string> _events = new();
        private string? _snapshot;
        private long _snapshotSequenceNr;

        public override string PersistenceId { get; }

        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<SnapshotOffer>(offer =>
            {
                _snapshot = (string)offer.Snapshot;
                _snapshotSequenceNr = offer.Metadata.SequenceNr;
                _events.AddRange(_snapshot.Split(',', StringSplitOptions.RemoveEmptyEntries));
            });
            Recover<string>(e =>
            {
                _replayed.Add(e);
                _events.Add(e);
            });
            Command<string>(e => Persist(e, stored =>
            {
                _events.Add(stored);
                Sender.Tell(LastSequenceNr);
            }));
            Command<Tagged>(tagged => Persist(tagged, _ => Sender.Tell(LastSequenceNr)));
            Command<Snap>(_ =>
            {
                var replyTo = Sender;
                SaveSnapshot(string.Join(',', _events));
                // As JobEntity does: once a snapshot is stored, the older ones go.
                BecomeStacked(() =>
                {
                    Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
                    Command<DeleteSnapshotsSuccess>(deleted =>
                    {
                        replyTo.Tell(deleted.Criteria.MaxSequenceNr + 1);
                        UnbecomeStacked();
                    });
                });
            });
            Command<Delete>(delete =>
            {
                var replyTo = Sender;
                DeleteMessages(delete.ToSequenceNr);
                BecomeStacked(() => Command<DeleteMessagesSuccess>(deleted =>
                {
                    replyTo.Tell(deleted.ToSequenceNr);
                    UnbecomeStacked();
                }));
            });
            Command<Report>(_ => Sender.Tell(new State(_snapshot, _snapshotSequenceNr, _replayed.ToList(), _events.ToList(), LastSequenceNr)));
        }
    }

    private IActorRef Start(string persistenceId) => Sys.ActorOf(Props.Create(() => new Recorder(persistenceId)));

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private static Task<Recorder.State> ReportOf(IActorRef recorder) => recorder.Ask<Recorder.State>(new Recorder.Report(), AskTimeout);

    private static Task<long> Ask(IActorRef recorder, object message) => recorder.Ask<long>(message, AskTimeout);

    private static async Task Persist(IActorRef recorder, params string[] events)
    {
        foreach (var e in events)
            await Ask(recorder, e);
    }

    private void StopAndWait(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public async Task Should_replay_every_event_in_order_and_continue_the_sequence_when_an_actor_recovers()
    {
        var first = Start("order");
        await Persist(first, "a", "b", "c", "d", "e");
        StopAndWait(first);

        var second = Start("order");
        var state = await ReportOf(second);
        Assert.Equal(["a", "b", "c", "d", "e"], state.Replayed);
        Assert.Equal(5, state.LastSequenceNr);
        Assert.Equal(6, await Ask(second, "f"));
        StopAndWait(second);

        Assert.Equal(["a", "b", "c", "d", "e", "f"], (await ReportOf(Start("order"))).Replayed);
    }

    [Fact]
    public async Task Should_offer_the_latest_snapshot_and_replay_only_the_events_after_it_when_an_actor_recovers()
    {
        var first = Start("snapshotted");
        await Persist(first, "a", "b", "c");
        Assert.Equal(3, await Ask(first, new Recorder.Snap()));
        await Persist(first, "d");
        Assert.Equal(4, await Ask(first, new Recorder.Snap()));
        await Persist(first, "e", "f");
        StopAndWait(first);

        var state = await ReportOf(Start("snapshotted"));
        Assert.Equal([4L], StoredSnapshots("snapshotted"));
        Assert.Equal("a,b,c,d", state.Snapshot);
        Assert.Equal(4, state.SnapshotSequenceNr);
        Assert.Equal(["e", "f"], state.Replayed);
        Assert.Equal(["a", "b", "c", "d", "e", "f"], state.Events);
        Assert.Equal(6, state.LastSequenceNr);
    }

    [Fact]
    public async Task Should_give_each_of_many_actors_recovering_at_once_exactly_its_own_events()
    {
        // Enough actors, with different histories and some with snapshots, that recoveries share batches.
        const int actors = 120;
        var recorders = Enumerable.Range(0, actors).Select(i => (Id: $"many-{i}", Ref: Start($"many-{i}"))).ToList();
        await Task.WhenAll(recorders.Select(async r =>
        {
            var index = int.Parse(r.Id.Split('-')[1]);
            for (var n = 0; n <= index % 7; n++)
                await Ask(r.Ref, $"{r.Id}:{n}");
            if (index % 3 == 0)
                await Ask(r.Ref, new Recorder.Snap());
            await Ask(r.Ref, $"{r.Id}:last");
        }));
        foreach (var (_, actor) in recorders)
            StopAndWait(actor);

        var restarted = recorders.Select(r => (r.Id, Ref: Start(r.Id))).ToList();
        var states = await Task.WhenAll(restarted.Select(async r => (r.Id, State: await ReportOf(r.Ref))));
        foreach (var (id, state) in states)
        {
            var index = int.Parse(id.Split('-')[1]);
            var expected = Enumerable.Range(0, index % 7 + 1).Select(n => $"{id}:{n}").Append($"{id}:last").ToList();
            Assert.Equal(expected, state.Events);
            Assert.Equal(expected.Count, state.LastSequenceNr);
            Assert.Equal(index % 3 == 0 ? [$"{id}:last"] : expected, state.Replayed);
        }
    }

    [Fact]
    public async Task Should_skip_deleted_events_but_never_reuse_their_sequence_numbers()
    {
        var first = Start("deleted");
        await Persist(first, "a", "b", "c");
        Assert.Equal(3, await Ask(first, new Recorder.Delete(3)));
        StopAndWait(first);

        var second = Start("deleted");
        var state = await ReportOf(second);
        Assert.Empty(state.Replayed);
        Assert.Equal(3, state.LastSequenceNr);
        Assert.Equal(4, await Ask(second, "d"));
    }

    [Fact]
    public async Task Should_write_tags_into_the_journal_row_as_the_plugin_does()
    {
        var recorder = Start("tagged");
        await Ask(recorder, new Tagged("a", ["red", "blue"]));
        await Ask(recorder, "b");
        StopAndWait(recorder);

        Assert.Equal(["a", "b"], (await ReportOf(Start("tagged"))).Replayed);
        var tags = Read("SELECT tags FROM journal WHERE persistence_id = 'tagged' ORDER BY sequence_number", row => row.GetString(0));
        Assert.Equal(2, tags.Count);
        Assert.True(tags[0] is ";red;blue;" or ";blue;red;", $"tags of the tagged event: '{tags[0]}'");
        Assert.Equal("", tags[1]);
    }

    [Fact]
    public async Task Should_fail_only_the_writer_whose_sequence_number_is_taken_when_appends_share_a_transaction()
    {
        // The journal creates its tables on start: make sure it has.
        await Persist(Start("taken"), "a");
        var tables = new JournalTables(_database.Open);
        var outcomes = tables.Write([
            new AppendEvents([Event("fresh-1", 1), Event("fresh-1", 2)]),
            new AppendEvents([Event("taken", 1)]),
            new AppendEvents([Event("fresh-2", 1)]),
        ]);

        Assert.Same(WriteOutcome.Stored, outcomes[0]);
        Assert.IsType<WriteFailed>(outcomes[1]);
        Assert.Same(WriteOutcome.Stored, outcomes[2]);
        Assert.Equal([2L, 1, 1, 0], new JournalReads(_database.Open).HighestSequenceNrs(["fresh-1", "taken", "fresh-2", "nobody"]));
    }

    [Fact]
    public async Task Should_create_only_the_jobs_whose_id_is_new_and_index_just_those_when_created_in_one_write()
    {
        var (index, tables) = await TablesWithJobTaken();

        var outcomes = tables.Write([
            new AppendEvents([Event("job-other", 1)]),
            new CreateJobs([NewJob("fresh"), NewJob("taken"), NewJob("twice"), NewJob("twice")]),
        ]);

        Assert.Same(WriteOutcome.Stored, outcomes[0]);
        Assert.Equal([true, false, true, false], Assert.IsType<JobsCreated>(outcomes[1]).Created);
        Assert.Equal(["fresh", "twice"], Listed(index));
        Assert.Equal([1L, 1, 1, 1], new JournalReads(_database.Open).HighestSequenceNrs(["job-fresh", "job-taken", "job-twice", "job-other"]));
    }

    [Fact]
    public async Task Should_refuse_a_taken_id_amid_a_batch_of_new_jobs_and_one_whose_journal_keeps_only_a_later_event()
    {
        var (index, tables) = await TablesWithJobTaken();
        // What retention leaves of a removed job: its last event (JobRemoved), no first one.
        Assert.Same(WriteOutcome.Stored, tables.Write([new AppendEvents([Event("job-removed", 7)])])[0]);
        var ids = Enumerable.Range(0, 10).Select(i => $"new-{i}").ToList();
        ids.Insert(5, "taken");
        ids.Insert(8, "removed");

        var outcome = Assert.IsType<JobsCreated>(tables.Write([new CreateJobs(ids.Select(NewJob).ToList())])[0]);

        Assert.Equal(ids.Select(id => id is not ("taken" or "removed")), outcome.Created);
        Assert.Equal(ids.Where(id => id.StartsWith("new-")).Order(), Listed(index));
        Assert.Equal([1L, 7], new JournalReads(_database.Open).HighestSequenceNrs(["job-taken", "job-removed"]));
    }

    [Fact]
    public async Task Should_store_the_events_of_many_appends_in_the_order_written()
    {
        await Persist(Start("order"), "a");
        var tables = new JournalTables(_database.Open);
        var appends = Enumerable.Range(1, 3).SelectMany(seq => new[] { "order-a", "order-b", "order-c" }.Select(id => Event(id, seq)))
            .Select(e => new AppendEvents([e])).ToList();

        Assert.All(tables.Write([.. appends, new WriteSnapshot("order-a", 3, 1, [9], 4711, "m"), new AppendEvents([Event("order-d", 1)])]),
            outcome => Assert.Same(WriteOutcome.Stored, outcome));

        var stored = Read("SELECT persistence_id, sequence_number FROM journal WHERE persistence_id LIKE 'order-%' ORDER BY ordering",
            row => $"{row.GetString(0)}/{row.GetInt64(1)}");
        Assert.Equal([.. appends.Select(append => $"{append.Events[0].PersistenceId}/{append.Events[0].SequenceNr}"), "order-d/1"], stored);
        Assert.Equal([3L], StoredSnapshots("order-a"));
    }

    /// <summary>The journal's and the index's tables, created, with the id "taken" holding a job's journal.</summary>
    private async Task<(IndexTables Index, JournalTables Tables)> TablesWithJobTaken()
    {
        await Persist(Start("job-taken"), "a");
        var index = new IndexTables(_database.Open);
        index.EnsureSchema();
        return (index, new JournalTables(_database.Open));
    }

    private static IEnumerable<string> Listed(IndexTables index) =>
        index.List(new JobListQuery(null, null, null, 100, null)).Select(view => Core.Definitions.CoreJson.Deserialize<Core.Jobs.JobView>(view).Id);

    /// <summary>A new job's first event and index row as the creator makes them.</summary>
    private static NewJob NewJob(string id)
    {
        var state = Core.Jobs.JobState.Empty(Core.JobId.Parse(id)) with { Exists = true, Version = 1 };
        var row = new Protocol.JobIndexRow(state.Id, 0, 1, state.Status, null, [], null, 0, state, []);
        return new NewJob(Event(Protocol.JobPersistenceId.Of(state.Id), 1), row);
    }

    [Fact]
    public async Task Should_answer_each_replay_request_with_its_own_range_and_limit()
    {
        await Persist(Start("ranges"), "a");
        var tables = new JournalTables(_database.Open);
        Assert.All(tables.Write([new AppendEvents(Enumerable.Range(1, 6).Select(n => Event("range-a", n)).ToList()), new AppendEvents([Event("range-b", 1), Event("range-b", 2)])]),
            outcome => Assert.Same(WriteOutcome.Stored, outcome));

        var answers = new JournalReads(_database.Open).Events([
            new ReplayRequest("range-a", 2, 5, long.MaxValue),
            new ReplayRequest("range-b", 1, long.MaxValue, 1),
            new ReplayRequest("range-a", 6, 6, long.MaxValue),
            new ReplayRequest("nobody", 1, long.MaxValue, long.MaxValue),
        ]);

        Assert.Equal([2L, 3, 4, 5], answers[0].Select(e => e.SequenceNr));
        Assert.Equal([1L], answers[1].Select(e => e.SequenceNr));
        Assert.Equal([6L], answers[2].Select(e => e.SequenceNr));
        Assert.Empty(answers[3]);
    }

    private IReadOnlyList<long> StoredSnapshots(string persistenceId) =>
        Read($"SELECT sequence_number FROM snapshot WHERE persistence_id = '{persistenceId}' ORDER BY sequence_number", row => row.GetInt64(0));

    private List<T> Read<T>(string sql, Func<DbDataReader, T> read)
    {
        using var connection = _database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        using var reader = query.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    private static NewEvent Event(string persistenceId, long sequenceNr) =>
        new(persistenceId, sequenceNr, DateTime.UtcNow.Ticks, [1, 2, 3], 4711, "manifest", "");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            _database.Dispose();
    }
}

public sealed class JobJournalOnSqliteSpecs() : JobJournalSpecs(TestDatabase.Sqlite());

public sealed class JobJournalOnPostgresSpecs() : JobJournalSpecs(TestDatabase.Postgres());

/// <summary>The engine's own PostgreSQL connections: prepared statements unless the connection string says otherwise.</summary>
public sealed class EngineConnectionOnPostgresSpecs
{
    [Theory]
    [InlineData("", 64)]
    [InlineData(";Max Auto Prepare=0", 0)]
    [InlineData(";MaxAutoPrepare=7", 7)]
    public void Should_prepare_our_statements_automatically_unless_the_connection_string_sets_it(string configured, int expected)
    {
        var server = new NpgsqlConnectionStringBuilder(TestDatabase.PostgresServer) { Database = "postgres" }.ToString();
        using var connection = EngineDatabase.Open(new DatabaseSettings(DatabaseSettings.Postgres, "", 5000, server + configured));

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(connection.ConnectionString).MaxAutoPrepare);
    }
}

/// <summary>A fresh database for one actor system: a SQLite file in a temporary directory, or a PostgreSQL database.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly DatabaseSettings _settings;
    private readonly Action _drop;

    private TestDatabase(Config overrides, Action drop)
    {
        var loaded = EngineConfig.Load(overrides.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        var settings = EngineSettings.From(loaded);
        EngineDatabase.Prepare(settings.Database);
        (_settings, _drop, Config) = (settings.Database, drop, EngineConfig.Complete(loaded, settings));
    }

    public Config Config { get; }

    public DbConnection Open() => EngineDatabase.Open(_settings);

    public static TestDatabase Sqlite()
    {
        var directory = Path.Combine(Path.GetTempPath(), "as-journal-" + Guid.NewGuid().ToString("N"));
        return new TestDatabase(
            ConfigurationFactory.ParseString($"actor-scheduler.data-directory = \"{directory.Replace("\\", "/")}\""),
            () => Directory.Delete(directory, recursive: true));
    }

    /// <summary>The test server (scripts/test starts it; ACTORSCHEDULER_TEST_POSTGRES points elsewhere).</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("ACTORSCHEDULER_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=actorscheduler;Password=actorscheduler";

    /// <summary>A new database on the test server.</summary>
    public static TestDatabase Postgres()
    {
        var server = PostgresServer;
        var name = "as_journal_" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString()))
        {
            try
            {
                admin.Open();
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
            {
                throw new InvalidOperationException($"PostgreSQL is not reachable: run the tests with scripts/test, which starts it. {e.Message}", e);
            }
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new TestDatabase(
            ConfigurationFactory.ParseString($"""
                actor-scheduler.database.provider = postgres
                actor-scheduler.database.postgres-connection = "{connection}"
                """),
            () =>
            {
                NpgsqlConnection.ClearAllPools();
                using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ToString());
                admin.Open();
                // FORCE may not end a backend of another role (an autovacuum worker that just started on the database):
                // that one ends on its own in a moment, so try again; a database left behind after that does no harm.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                        drop.ExecuteNonQuery();
                        return;
                    }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
                    {
                        if (attempt == 10)
                            return;
                        Thread.Sleep(200);
                    }
                }
            });
    }

    public void Dispose() => _drop();
}
