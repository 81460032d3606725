using System.Data.Common;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// A board and its jobs in the job index: <paramref name="Jobs"/> counts the ones not canceled, <paramref name="ByStatus"/>
/// every one by status (canceled included, until retention removes them).
/// </summary>
public sealed record BoardSummary(string Name, long Jobs, IReadOnlyDictionary<string, long> ByStatus);

/// <summary>
/// Boards in the job index: the <c>board</c> column of <c>job_index</c> (the board a job's definition names, null for
/// none), which the job list filters on (<see cref="JobListQuery.Board"/>) and which <see cref="List"/> counts.
/// </summary>
public sealed class BoardTables(Func<DbConnection> connect)
{
    private const string BoardIndex = "CREATE INDEX IF NOT EXISTS job_index_board ON job_index (board) WHERE board IS NOT NULL";

    /// <summary>
    /// Adds the <c>board</c> column to a <c>job_index</c> that lacks it: every database made before boards existed, and
    /// (through the same path) every new one. Rows already there get null, which is right: no job had a board before.
    /// </summary>
    internal static void EnsureColumn(DbConnection connection, DbTransaction transaction)
    {
        var sqlite = connection is SqliteConnection;
        var missing = Scalar(connection, transaction, sqlite
            ? "SELECT COUNT(*) FROM pragma_table_info('job_index') WHERE name = 'board'"
            : "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'job_index' AND column_name = 'board'") == 0;
        try
        {
            if (missing)
                Execute(connection, transaction, sqlite ? "ALTER TABLE job_index ADD COLUMN board TEXT" : "ALTER TABLE job_index ADD COLUMN IF NOT EXISTS board TEXT");
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another node on the same file added it between the check and the ALTER.
        }
        Execute(connection, transaction, BoardIndex);
    }

    /// <summary>Every board some job names, by name, with its jobs counted by status.</summary>
    public IReadOnlyList<BoardSummary> List() =>
        IndexTables.Query(connect, "SELECT board, status, COUNT(*) FROM job_index WHERE board IS NOT NULL GROUP BY board, status",
                row => (Board: row.GetString(0), Status: row.GetString(1), Count: row.GetInt64(2)))
            .GroupBy(row => row.Board, StringComparer.Ordinal)
            .OrderBy(board => board.Key, StringComparer.Ordinal)
            .Select(board => new BoardSummary(board.Key, board.Where(row => row.Status != Canceled).Sum(row => row.Count),
                board.OrderBy(row => row.Status, StringComparer.Ordinal).ToDictionary(row => row.Status, row => row.Count)))
            .ToList();

    private static readonly string Canceled = CoreJson.WireName(JobStatus.Canceled);

    private static long Scalar(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
