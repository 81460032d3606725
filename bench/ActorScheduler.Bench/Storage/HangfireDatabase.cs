using Npgsql;

namespace ActorScheduler.Bench.Storage;

/// <summary>
/// Where one run of Hangfire keeps its data: its own SQLite file (<see cref="Location"/> is the path), or its own
/// PostgreSQL schema (<see cref="Location"/> is a connection string whose search path names the schema). Hangfire's
/// storages create their tables on start; the schema is dropped after the run.
/// </summary>
public sealed record HangfireDatabase(DatabaseKind Kind, string Location)
{
    /// <summary>The PostgreSQL schema of the run (the connection string's search path).</summary>
    public string Schema => new NpgsqlConnectionStringBuilder(Location).SearchPath
        ?? throw new InvalidOperationException("A Hangfire PostgreSQL location names its schema in the search path.");

    public static HangfireDatabase CreateSqlite(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return new HangfireDatabase(DatabaseKind.Sqlite, file);
    }

    /// <summary>An empty schema name <paramref name="schema"/> (dropped first if a previous run left it behind).</summary>
    public static async Task<HangfireDatabase> CreatePostgresAsync(string serverConnection, string schema)
    {
        await using (var admin = new NpgsqlConnection(serverConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", admin);
            await drop.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnection) { SearchPath = schema, MaxPoolSize = 50 }.ToString();
        return new HangfireDatabase(DatabaseKind.Postgres, connectionString);
    }

    /// <summary>Drops the PostgreSQL schema (a SQLite file goes with its directory).</summary>
    public async Task DropAsync()
    {
        if (Kind != DatabaseKind.Postgres)
            return;
        var builder = new NpgsqlConnectionStringBuilder(Location) { SearchPath = null };
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(builder.ToString());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
