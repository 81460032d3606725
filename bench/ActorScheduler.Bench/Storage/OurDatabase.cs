using Npgsql;

namespace ActorScheduler.Bench.Storage;

/// <summary>
/// Where one run of ActorScheduler keeps its data: its data directory (the SQLite file; on PostgreSQL only the
/// clean-stop marker), and on PostgreSQL a database of its own, made for the run and dropped after it. The engine
/// creates its tables on start.
/// </summary>
public sealed record OurDatabase(DatabaseKind Kind, string DataDirectory, string? PostgresConnection = null)
{
    /// <summary>
    /// A new, empty database <paramref name="name"/> made through <paramref name="serverConnection"/>, whose role
    /// needs CREATEDB (bench/run.sh grants it).
    /// </summary>
    public static async Task<OurDatabase> CreatePostgresAsync(string serverConnection, string name, string dataDirectory)
    {
        await using var admin = new NpgsqlConnection(serverConnection);
        await admin.OpenAsync();
        try
        {
            // Two commands: neither statement may run inside the implicit transaction of a multi-statement batch.
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new InvalidOperationException(
                $"The role of --pg may not create the database {name} for ActorScheduler (it needs CREATEDB; bench/run.sh grants it): {e.MessageText}", e);
        }
        var connection = new NpgsqlConnectionStringBuilder(serverConnection) { Database = name }.ToString();
        return new OurDatabase(DatabaseKind.Postgres, dataDirectory, connection);
    }

    /// <summary>Drops a database made by <see cref="CreatePostgresAsync"/> (a SQLite file goes with its directory).</summary>
    public async Task DropAsync(string serverConnection)
    {
        if (PostgresConnection is null)
            return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(serverConnection);
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(PostgresConnection).Database} WITH (FORCE)");
    }

    /// <summary>The engine's configuration keys that choose this database.</summary>
    public string Hocon()
    {
        var lines = $"actor-scheduler.data-directory = {Quoted(DataDirectory.Replace('\\', '/'))}\n";
        if (PostgresConnection is not null)
            lines += $"actor-scheduler.database.provider = postgres\nactor-scheduler.database.postgres-connection = {Quoted(PostgresConnection)}\n";
        return lines;
    }

    private static string Quoted(string text) => $"\"{text.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
