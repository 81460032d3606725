using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorScheduler.Engine.Backup;

/// <summary>
/// Puts a backup file back as the database a node starts on: into an empty data directory (SQLite) or an empty
/// PostgreSQL database. Anything already there is refused, never merged; and nothing is half-written: SQLite gets the
/// copy under a temporary name renamed into place at the end, PostgreSQL gets all rows in one transaction.
/// </summary>
/// <remarks>
/// A node started on the result recovers every job from its journal as after any restart: state and history as of
/// the backup, runs that were in flight then are probed and, when their worker knows nothing of them, lost and
/// retried by their policy. The job index comes back with the journal (one consistent snapshot), and because a
/// restored data directory has no clean-stop marker the node checks the index against the journal once
/// (<see cref="Index.JobIndexRepair"/>).
/// </remarks>
public static class BackupRestore
{
    private const string TemporarySuffix = ".restoring";

    /// <summary>Restores <paramref name="file"/> into the database <paramref name="target"/> names.</summary>
    /// <exception cref="BackupException">The file is no backup, or the target is not empty.</exception>
    public static async Task<BackupSummary> RestoreAsync(string file, DatabaseSettings target, CancellationToken cancel = default)
    {
        var summary = BackupFile.Check(file);
        if (target.IsPostgres)
            await IntoPostgresAsync(file, target, cancel);
        else
            IntoSqlite(file, target);
        return summary;
    }

    private static void IntoSqlite(string file, DatabaseSettings target)
    {
        var directory = Path.GetDirectoryName(target.SqliteFile)!;
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Take(6).Select(Path.GetFileName).ToList() is { Count: > 0 } found)
            throw new BackupException(
                $"The data directory {directory} is not empty ({string.Join(", ", found.Take(5))}{(found.Count > 5 ? ", …" : "")}): restore into an empty " +
                "or new directory, so that nothing of another database mixes with the backup.");
        PrivateFiles.EnsureDirectory(directory);
        var temporary = target.SqliteFile + TemporarySuffix;
        PrivateFiles.EnsureFile(temporary);
        try
        {
            using (var source = BackupFile.OpenReadOnly(file))
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
            {
                copy.Open();
                source.BackupDatabase(copy);
                // A copy of a WAL-mode file is in WAL mode too; back to one self-contained file before the rename
                // (the node switches it to WAL again when it starts).
                using var rollbackJournal = copy.CreateCommand();
                rollbackJournal.CommandText = "PRAGMA journal_mode=DELETE";
                rollbackJournal.ExecuteNonQuery();
            }
            File.Move(temporary, target.SqliteFile);
        }
        catch
        {
            foreach (var leftover in new[] { temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm" })
                File.Delete(leftover);
            throw;
        }
    }

    /// <summary>
    /// Creates the tables a node would (the plugin keeps tables it finds), then, in one transaction holding them
    /// exclusively, checks they are empty and copies every row; identity columns (the journal's ordering) continue
    /// after the last restored value. Nodes starting meanwhile wait on the schema lock.
    /// </summary>
    private static async Task IntoPostgresAsync(string file, DatabaseSettings target, CancellationToken cancel)
    {
        EngineDatabase.Prepare(target); // unreachable: stops here with the reason
        await using var schemaLock = await EngineDatabase.SchemaLockAsync(target, cancel);
        BackupSchema.Create(() => EngineDatabase.Open(target));
        await using var connection = new NpgsqlConnection(target.PostgresConnection);
        await connection.OpenAsync(cancel);
        await using var transaction = await connection.BeginTransactionAsync(cancel);
        var tables = BackupSchema.Tables(connection, transaction).Keys.Order(StringComparer.Ordinal).ToList();
        await Execute(connection, transaction, $"LOCK TABLE {string.Join(", ", tables.Select(TableCopy.Quoted))} IN ACCESS EXCLUSIVE MODE", cancel);
        var holding = new List<string>();
        foreach (var table in tables)
            if (await Execute(connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {TableCopy.Quoted(table)})", cancel) is true)
                holding.Add(table);
        if (holding.Count > 0)
            throw new BackupException(
                $"The PostgreSQL database ({EngineDatabase.Describe(target)}) is not empty: {string.Join(", ", holding)} hold rows. " +
                "Restore into a new, empty database (CREATE DATABASE …), so that nothing of another database mixes with the backup.");
        using (var source = BackupFile.OpenReadOnly(file))
        {
            if (TableCopy.CopyAll(source, null, connection, transaction) is { Count: > 0 } unknown)
                throw new BackupException($"The backup holds tables this version of ActorScheduler does not make ({string.Join(", ", unknown)}): " +
                    "restore it with the version that took it.");
        }
        await ContinueIdentities(connection, transaction, cancel);
        await transaction.CommitAsync(cancel);
    }

    /// <summary>Sets each identity or serial column's sequence to the highest restored value, so new rows continue after it.</summary>
    private static async Task ContinueIdentities(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancel)
    {
        var identities = new List<(string Table, string Column)>();
        await using (var find = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')
            """, connection, transaction))
        await using (var reader = await find.ExecuteReaderAsync(cancel))
            while (await reader.ReadAsync(cancel))
                identities.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var (table, column) in identities)
        {
            var (t, c) = (TableCopy.Quoted(table), TableCopy.Quoted(column));
            await Execute(connection, transaction,
                $"SELECT setval(pg_get_serial_sequence('{t.Replace("'", "''")}', '{column.Replace("'", "''")}'), (SELECT MAX({c}) FROM {t})) WHERE EXISTS (SELECT 1 FROM {t})",
                cancel);
        }
    }

    private static async Task<object?> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancel)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteScalarAsync(cancel);
    }
}
