using System.Data.Common;
using Npgsql;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Looks straight into the database of a whole-engine spec (<see cref="EngineFixture"/>): the SQLite file in its data
/// directory, or its PostgreSQL database; and removes the data directory afterwards.
/// </summary>
public sealed class EngineDatabaseProbe(string directory, string? postgresConnection)
{
    public object? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public IReadOnlyList<int> Execute(params string[] statements)
    {
        using var connection = Open();
        return statements.Select(sql =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteNonQuery();
        }).ToList();
    }

    public DbConnection Open()
    {
        DbConnection connection = postgresConnection is { } postgres
            ? new NpgsqlConnection(postgres)
            : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "scheduler.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    public void DeleteDirectory()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Gone already, or a file still held by a closing connection: at worst a stray temp directory stays behind.
        }
    }
}
