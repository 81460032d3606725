using System.Data.Common;
using System.Net.Sockets;
using ActorScheduler.Engine.Storage;
using Akka.Pattern;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// What counts as "the database is unavailable" (a 503 the caller may retry) rather than a bug (a 500), and how the
/// node's <see cref="StorageHealth"/> starts an outage on such a failure, cuts asks short during it, and ends it only when
/// its own probe passes. The storage outage drills (Integration tests) show the same with real outages.
/// </summary>
public sealed class StorageHealthSpecs : TestKit
{
    public static TheoryData<Exception> Unavailable() =>
    [
        new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException(111)),
        new PostgresException("the database system is shutting down", "FATAL", "FATAL", "57P01"),
        new PostgresException("could not extend file: No space left on device", "ERROR", "ERROR", "53100"),
        new SqliteException("database or disk is full", 13),
        new SqliteException("disk I/O error", 10 | (3 << 8)), // SQLITE_IOERR_WRITE
        new SqliteException("attempt to write a readonly database", 8),
        new OpenCircuitException("Circuit Breaker is open; calls are failing fast"),
        new InvalidOperationException("Writing 1 new jobs failed", new SqliteException("database or disk is full", 13)),
        new AggregateException(new SqliteException("database is locked", 5)),
    ];

    public static TheoryData<Exception> NotUnavailable() =>
    [
        new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505"),
        new PostgresException("relation \"journal\" does not exist", "ERROR", "ERROR", "42P01"),
        new SqliteException("UNIQUE constraint failed: journal.persistence_id", 19),
        new InvalidOperationException("a bug"),
    ];

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void Should_call_the_database_unavailable_when_it_is_down_full_read_only_or_refusing(Exception failure) =>
        Assert.NotNull(StorageFailures.Unavailability(failure));

    [Theory]
    [MemberData(nameof(NotUnavailable))]
    public void Should_not_call_a_bug_or_a_constraint_violation_an_outage(Exception failure) =>
        Assert.Null(StorageFailures.Unavailability(failure));

    [Fact]
    public void Should_start_an_outage_on_an_unavailable_database_and_end_it_only_when_the_probe_passes()
    {
        var database = new TemporaryDatabase();
        var health = new StorageHealth(database.Connect, isSqlite: true, Sys.Log, Sys.EventStream, TimeProvider.System);
        Sys.EventStream.Subscribe(TestActor, typeof(StorageReturned));

        health.Failed(new InvalidOperationException("a bug"));
        Assert.Null(health.Current);

        database.Down = true;
        health.Failed(new SqliteException("database or disk is full", 13));
        Assert.Contains("disk is full", health.Current?.Reason);
        ExpectNoMsg(StorageHealth.ProbeInterval * 3); // the probe fails while the database is down

        database.Down = false;
        ExpectMsg<StorageReturned>(TimeSpan.FromSeconds(30));
        Assert.Null(health.Current);
        database.Delete();
    }

    [Fact]
    public async Task Should_cut_an_ask_short_during_an_outage_but_let_an_answer_that_comes_within_the_grace_through()
    {
        var database = new TemporaryDatabase { Down = true };
        var health = new StorageHealth(database.Connect, isSqlite: true, Sys.Log, Sys.EventStream, TimeProvider.System);

        Assert.Equal(7, await health.Guard(Task.FromResult(7), CancellationToken.None)); // no outage: the answer

        var never = new TaskCompletionSource<int>();
        var asked = health.Guard(never.Task, CancellationToken.None);
        health.Failed(new NpgsqlException("Failed to connect", new SocketException(111)));
        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => asked);
        Assert.StartsWith("The database is unavailable: ", refused.Message); // the latest reason: the failure's or the probe's

        var late = new TaskCompletionSource<int>();
        var answered = health.Guard(late.Task, CancellationToken.None);
        late.SetResult(8); // a job in memory answers a read at once, outage or not
        Assert.Equal(8, await answered);
        database.Delete();
    }

    /// <summary>A SQLite file whose connections fail while <see cref="Down"/> (as a full disk's writes would).</summary>
    private sealed class TemporaryDatabase
    {
        private readonly string _file = Path.Combine(Path.GetTempPath(), $"storage-health-{Guid.NewGuid():N}.db");

        public volatile bool Down;

        public DbConnection Connect()
        {
            if (Down)
                throw new SqliteException("database or disk is full", 13);
            var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
            connection.Open();
            return connection;
        }

        public void Delete() => File.Delete(_file);
    }
}
