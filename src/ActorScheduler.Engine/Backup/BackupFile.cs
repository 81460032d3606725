using System.Globalization;
using ActorScheduler.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Backup;

/// <summary>What a backup holds: jobs (index rows), journal events and snapshots.</summary>
public sealed record BackupSummary(long Jobs, long Events, long Snapshots)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Jobs:N0} jobs, {Events:N0} events, {Snapshots:N0} snapshots");
}

/// <summary>A backup that cannot be taken or restored, with a message meant for the operator (what is wrong, what to do).</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A backup file: a SQLite database with the engine's tables (<see cref="BackupSchema"/>), as
/// <c>GET /api/v1/export</c> writes it. Read through its own read-only connections, never pooled, so that the file
/// can be moved or deleted as soon as a call returns.
/// </summary>
public static class BackupFile
{
    public const string ContentType = "application/vnd.sqlite3";

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>
    /// Checks that <paramref name="path"/> is an intact backup (a SQLite file that passes <c>PRAGMA quick_check</c>
    /// and has every table and column a node needs) and counts what it holds.
    /// </summary>
    /// <exception cref="BackupException">It is not, with the reason.</exception>
    public static BackupSummary Check(string path)
    {
        if (!File.Exists(path))
            throw new BackupException($"{path}: no such file.");
        if (!HasSqliteHeader(path))
            throw new BackupException($"{path} is not a SQLite database, so not an ActorScheduler backup (GET /api/v1/export makes one).");
        try
        {
            using var connection = OpenReadOnly(path);
            var check = Scalar(connection, "PRAGMA quick_check") as string;
            if (check != "ok")
                throw new BackupException($"{path} is damaged (SQLite's quick_check: {check}); take the backup again.");
            var tables = BackupSchema.Tables(connection, null);
            foreach (var (table, required) in BackupSchema.Required)
            {
                if (!tables.TryGetValue(table, out var found))
                    throw new BackupException($"{path} is not an ActorScheduler backup: it has no table '{table}'.");
                if (required.FirstOrDefault(column => !found.Columns.ContainsKey(column)) is { } missing)
                    throw new BackupException($"{path} is not an ActorScheduler backup: table '{table}' has no column '{missing}'.");
            }
            return Summarize(connection);
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{path} cannot be read as a SQLite database: {e.Message}", e);
        }
    }

    /// <summary>Counts what a backup holds, without checking it (the file was just written).</summary>
    public static BackupSummary Count(string path)
    {
        using var connection = OpenReadOnly(path);
        return Summarize(connection);
    }

    /// <summary>
    /// Jobs whose index row is missing or older than their journal in the backup: rows still in the index writer's
    /// batch when it was taken. A node repairs them when it starts after an unclean stop (<see cref="Index.JobIndexRepair"/>).
    /// </summary>
    public static int JobsBehindTheirJournal(string path) => new IndexTables(() => OpenReadOnly(path)).BehindTheirJournal().Count;

    /// <summary>A read-only connection of its own (no pool): closed, it leaves nothing open on the file.</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static BackupSummary Summarize(SqliteConnection connection) =>
        new(Count(connection, "job_index"), Count(connection, "journal"), Count(connection, "snapshot"));

    private static long Count(SqliteConnection connection, string table) =>
        Convert.ToInt64(Scalar(connection, $"SELECT COUNT(*) FROM {table}"), CultureInfo.InvariantCulture);

    private static bool HasSqliteHeader(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[SqliteHeader.Length];
        return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length && header.AsSpan().SequenceEqual(SqliteHeader);
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
