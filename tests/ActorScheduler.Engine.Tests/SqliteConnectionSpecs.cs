using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Our SQLite connections run their pragmas once per native connection: a pooled connection opened again must still
/// have them, and so must a new native connection after the pool was cleared (as a restore or an outage does).
/// </summary>
public sealed class SqliteConnectionSpecs : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"as-sqlite-pragmas-{Guid.NewGuid():N}");

    private DatabaseSettings Settings(int busyTimeoutMs) =>
        new(DatabaseSettings.Sqlite, Path.Combine(_directory, "engine.db"), busyTimeoutMs, "");

    [Fact]
    public void Should_keep_the_busy_timeout_and_synchronous_mode_on_every_open_of_a_pooled_connection()
    {
        Directory.CreateDirectory(_directory);
        var settings = Settings(4321);
        SqliteDatabase.Prepare(settings);

        for (var open = 0; open < 3; open++)
        {
            using var connection = SqliteDatabase.Open(settings);
            Assert.Equal(4321L, Pragma(connection, "busy_timeout"));
            Assert.Equal(1L, Pragma(connection, "synchronous")); // NORMAL
        }

        SqliteConnection.ClearAllPools();
        using var fresh = SqliteDatabase.Open(settings);
        Assert.Equal(4321L, Pragma(fresh, "busy_timeout"));
        Assert.Equal(1L, Pragma(fresh, "synchronous"));
    }

    [Fact]
    public void Should_give_a_plain_connection_to_the_same_file_sqlite_defaults()
    {
        // The check above could pass by accident if SQLite's own defaults matched ours; they do not.
        Directory.CreateDirectory(_directory);
        var settings = Settings(4321);
        SqliteDatabase.Prepare(settings);
        using var plain = new SqliteConnection($"Data Source={settings.SqliteFile};Pooling=False");
        plain.Open();
        Assert.NotEqual(4321L, Pragma(plain, "busy_timeout"));
        Assert.NotEqual(1L, Pragma(plain, "synchronous"));
    }

    private static long Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
