using System.Collections.Concurrent;
using System.Data.Common;
using Akka.Actor.Setup;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The database behind journal, snapshots and job index, by provider: the embedded SQLite file of the all-in-one
/// node, or the PostgreSQL database a cluster's scheduler and gateway nodes share.
/// </summary>
public static class EngineDatabase
{
    /// <summary>Readies the database before the actor system opens it; a database that cannot be reached stops the node here with the reason.</summary>
    /// <returns>Warnings for the log.</returns>
    public static IReadOnlyList<string> Prepare(DatabaseSettings settings)
    {
        if (!settings.IsPostgres)
            return SqliteDatabase.Prepare(settings);
        try
        {
            using var connection = new NpgsqlConnection(settings.PostgresConnection);
            connection.Open();
            return [];
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with actor-scheduler.database.postgres-connection ({Describe(settings)}): {e.Message}", e);
        }
    }

    public static string ConnectionString(DatabaseSettings settings) =>
        settings.IsPostgres ? settings.PostgresConnection : SqliteDatabase.ConnectionString(settings);

    /// <summary>Opens one of our own connections (job index, repair scan); the caller disposes it.</summary>
    public static DbConnection Open(DatabaseSettings settings)
    {
        if (!settings.IsPostgres)
            return SqliteDatabase.Open(settings);
        var connection = new NpgsqlConnection(OurConnection(settings.PostgresConnection));
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The configured connection string with Npgsql's automatic preparation on unless it says otherwise: our
    /// statements are few and fixed (array parameters, not one text per batch size), so each connection parses and
    /// plans each once instead of at every use. The plugin's own connections keep the string as configured.
    /// </summary>
    private static string OurConnection(string configured) => OurConnections.GetOrAdd(configured, static text =>
    {
        var given = new DbConnectionStringBuilder { ConnectionString = text };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
            return text;
        return new NpgsqlConnectionStringBuilder(text) { MaxAutoPrepare = AutoPrepared }.ConnectionString;
    });

    /// <summary>Statements each connection keeps prepared (least recently used go first).</summary>
    private const int AutoPrepared = 64;

    private static readonly ConcurrentDictionary<string, string> OurConnections = new();

    /// <summary>Extra actor-system setup for the journal's connections (SQLite pragmas); none for PostgreSQL.</summary>
    public static Setup? JournalSetup(DatabaseSettings settings) =>
        settings.IsPostgres ? null : SqliteDatabase.JournalSetup(settings);

    /// <summary>
    /// Serializes the creation of tables among nodes starting at once: PostgreSQL's CREATE TABLE IF NOT EXISTS
    /// is not safe against a concurrent twin (a duplicate-key error on its catalog). Held by a session advisory
    /// lock until disposed; a node that dies holding it releases it with its connection.
    /// </summary>
    public static async Task<IAsyncDisposable> SchemaLockAsync(DatabaseSettings settings, CancellationToken cancel = default)
    {
        if (!settings.IsPostgres)
            return new Released(null);
        var connection = new NpgsqlConnection(settings.PostgresConnection);
        await connection.OpenAsync(cancel);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(4711001)", connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync(cancel);
        return new Released(connection);
    }

    private sealed class Released(NpgsqlConnection? held) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection = held;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _connection, null) is not { } connection)
                return;
            await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(4711001)", connection))
                await unlock.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }

    public static void ClearPools(DatabaseSettings settings)
    {
        if (settings.IsPostgres)
            NpgsqlConnection.ClearAllPools();
        else
            SqliteConnection.ClearAllPools();
    }

    /// <summary>Host and database of the connection string, never its password.</summary>
    public static string Describe(DatabaseSettings settings)
    {
        if (!settings.IsPostgres)
            return settings.SqliteFile;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(settings.PostgresConnection);
            return $"host {builder.Host}:{builder.Port}, database {builder.Database}, user {builder.Username}";
        }
        catch (ArgumentException)
        {
            return "unparseable connection string";
        }
    }
}
