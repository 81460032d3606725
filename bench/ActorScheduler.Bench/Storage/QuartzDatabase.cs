using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Bench.Storage;

/// <summary>
/// A fresh, empty set of Quartz tables for one run: its own SQLite file, or its own PostgreSQL schema
/// (reached through the connection's search path). Created from bench's schema files (Quartz/Schema).
/// </summary>
public sealed record QuartzDatabase(DatabaseKind Kind, string ConnectionString)
{
    /// <summary>Quartz's name for the ADO.NET provider.</summary>
    public string Provider => Kind == DatabaseKind.Sqlite ? "SQLite-Microsoft" : "Npgsql";

    public string DriverDelegateType => Kind == DatabaseKind.Sqlite
        ? "Quartz.Impl.AdoJobStore.SQLiteDelegate, Quartz"
        : "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz";

    public DbConnection Open()
    {
        DbConnection connection = Kind == DatabaseKind.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// A new SQLite file in WAL mode with busy_timeout 5 s, as ActorScheduler's own file (synchronous=NORMAL
    /// is set per connection, see <see cref="Systems.QuartzSystem"/>).
    /// </summary>
    public static QuartzDatabase CreateSqlite(string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 5 }.ToString();
        var database = new QuartzDatabase(DatabaseKind.Sqlite, connectionString);
        using var connection = database.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, SchemaScript("tables_sqlite.sql"));
        return database;
    }

    /// <summary>A new schema <paramref name="schema"/> in the database <paramref name="serverConnection"/> names.</summary>
    public static async Task<QuartzDatabase> CreatePostgresAsync(string serverConnection, string schema)
    {
        await using (var admin = new NpgsqlConnection(serverConnection))
        {
            await admin.OpenAsync();
            Execute(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};");
        }
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnection) { SearchPath = schema, MaxPoolSize = 50 }.ToString();
        var database = new QuartzDatabase(DatabaseKind.Postgres, connectionString);
        using var connection = database.Open();
        Execute(connection, SchemaScript("tables_postgres.sql"));
        return database;
    }

    /// <summary>Drops a PostgreSQL schema made by <see cref="CreatePostgresAsync"/> (SQLite files go with their directory).</summary>
    public async Task DropAsync()
    {
        if (Kind != DatabaseKind.Postgres)
            return;
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var schema = builder.SearchPath;
        builder.SearchPath = null;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(builder.ToString());
        await admin.OpenAsync();
        Execute(admin, $"DROP SCHEMA IF EXISTS {schema} CASCADE;");
    }

    /// <summary>Rows in one Quartz table for a trigger group of a scheduler.</summary>
    public async Task<int> CountAsync(string table, string schedulerName, string triggerGroup, CancellationToken cancel)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE sched_name = @s AND trigger_group = @g";
        Parameter(command, "@s", schedulerName);
        Parameter(command, "@g", triggerGroup);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancel));
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string SchemaScript(string name)
    {
        using var stream = typeof(QuartzDatabase).Assembly.GetManifestResourceStream($"quartz-schema/{name}")
            ?? throw new FileNotFoundException($"quartz-schema/{name} is not embedded in the bench assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
