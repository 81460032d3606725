using LinqToDB;
using Akka.Persistence.Sql.Config;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The embedded SQLite file: WAL is switched on before the actor system opens it (it is a property of the
/// file), and every connection — the journal's included — gets the same busy timeout and synchronous=NORMAL.
/// </summary>
public static class SqliteDatabase
{
    // Built once per settings: every write opens a (pooled) connection.
    private static readonly ConditionalWeakTable<DatabaseSettings, string> ConnectionStrings = new();

    // The native connections that already have our pragmas. A pooled connection keeps its native one, and with it the
    // pragmas, so they run once per native connection instead of at every open.
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = new();

    public static string ConnectionString(DatabaseSettings settings) =>
        ConnectionStrings.GetValue(settings, static settings => new SqliteConnectionStringBuilder
        {
            DataSource = settings.SqliteFile,
            Pooling = true,
            DefaultTimeout = Math.Max(1, settings.BusyTimeoutMs / 1000),
        }.ToString());

    public static string Pragmas(DatabaseSettings settings) =>
        $"PRAGMA busy_timeout={settings.BusyTimeoutMs}; PRAGMA synchronous=NORMAL;";

    /// <returns>Warnings for the log (a data directory or database file others can read).</returns>
    public static IReadOnlyList<string> Prepare(DatabaseSettings settings)
    {
        var warnings = new List<string>();
        if (PrivateFiles.EnsureDirectory(Path.GetDirectoryName(settings.SqliteFile)!) is { } looseDirectory)
            warnings.Add(looseDirectory);
        foreach (var file in new[] { settings.SqliteFile, settings.SqliteFile + "-wal", settings.SqliteFile + "-shm" })
            if ((file == settings.SqliteFile || File.Exists(file)) && PrivateFiles.EnsureFile(file) is { } looseFile)
                warnings.Add(looseFile);
        using var connection = new SqliteConnection(ConnectionString(settings));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{settings.SqliteFile}: journal_mode is '{mode}', expected WAL.");
        return warnings;
    }

    /// <summary>The journal's linq2db options, so its connections get our pragmas too.</summary>
    public static DataOptionsSetup JournalSetup(DatabaseSettings settings)
    {
        var pragmas = Pragmas(settings);
        var options = new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, ConnectionString(settings))
            .UseAfterConnectionOpened(
                connection =>
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = pragmas;
                    command.ExecuteNonQuery();
                },
                async (connection, cancel) =>
                {
                    // Microsoft.Data.Sqlite's async calls complete synchronously, so without a real yield here the
                    // journal's writer never gets to gather a batch: one transaction per event instead of hundreds.
                    await Task.Yield();
                    await using var command = connection.CreateCommand();
                    command.CommandText = pragmas;
                    await command.ExecuteNonQueryAsync(cancel);
                });
        return new DataOptionsSetup(options);
    }

    /// <summary>Our own connections (job index): same file, same pragmas.</summary>
    public static SqliteConnection Open(DatabaseSettings settings)
    {
        var connection = new SqliteConnection(ConnectionString(settings));
        connection.Open();
        if (connection.Handle is { } handle && Configured.TryGetValue(handle, out _))
            return connection;
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas(settings);
        command.ExecuteNonQuery();
        if (connection.Handle is { } configured)
            Configured.AddOrUpdate(configured, Configured);
        return connection;
    }
}
