using System.Data;
using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Engine.Backup;

/// <summary>
/// Writes a consistent copy of the engine's database into a backup file while the node keeps running. Nothing
/// here takes a lock that stops the journal's writer: both paths only read, from one snapshot of the database.
/// </summary>
/// <remarks>
/// SQLite: <c>VACUUM INTO</c> reads the whole file in one read transaction. In WAL mode readers never block the
/// writer, so jobs go on firing; the copy is the database as of the transaction's start, WAL included, compacted,
/// and not in WAL mode itself (one file, nothing beside it). PostgreSQL: one <c>REPEATABLE READ READ ONLY</c>
/// transaction (MVCC: no lock on writers) copies the engine's tables (<see cref="BackupSchema"/>) into a new SQLite
/// file with the schema a node makes on SQLite, so both providers export the same format.
/// </remarks>
public static class DatabaseSnapshot
{
    /// <param name="target">An empty or missing file (VACUUM INTO refuses any other), made 0600 by the caller.</param>
    /// <returns>Tables of the PostgreSQL schema that are not the engine's and were left out (none on SQLite: the file is copied whole).</returns>
    public static IReadOnlyList<string> Write(DatabaseSettings database, string target)
    {
        if (database.IsPostgres)
            return CopyFromPostgres(database, target);
        VacuumInto(database, target);
        return [];
    }

    private static void VacuumInto(DatabaseSettings database, string target)
    {
        using var connection = SqliteDatabase.Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @target";
        command.Parameters.AddWithValue("@target", target);
        command.ExecuteNonQuery();
    }

    private static IReadOnlyList<string> CopyFromPostgres(DatabaseSettings database, string target)
    {
        BackupSchema.Create(() => OpenFile(target));
        using var source = new NpgsqlConnection(database.PostgresConnection);
        source.Open();
        using var snapshot = source.BeginTransaction(IsolationLevel.RepeatableRead);
        using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", source, snapshot))
            readOnly.ExecuteNonQuery();
        using var file = OpenFile(target);
        using var write = file.BeginTransaction();
        var skipped = TableCopy.CopyAll(source, snapshot, file, write);
        write.Commit();
        snapshot.Commit();
        return skipped;
    }

    /// <summary>A connection of its own (no pool, rollback journal): the file is complete once it is closed.</summary>
    private static SqliteConnection OpenFile(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
