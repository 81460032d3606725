using System.Data.Common;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// A filter over the job list, ordered by id, after the cursor <paramref name="After"/>; <paramref name="Search"/> keeps
/// the ids that contain it, ignoring case; <paramref name="Board"/> the jobs of that board.
/// </summary>
public sealed record JobListQuery(JobStatus? Status, string? Worker, string? Tag, int Limit, JobId? After, string? Search = null, string? Board = null);

/// <summary>
/// SQL access to the job index (<c>job_index</c>: one row per job, the wake-up time index and the list read model)
/// and the trigger index (<c>job_triggers</c>), in the same database as the journal. Plain ADO.NET with SQL that
/// SQLite and PostgreSQL both accept (INSERT … ON CONFLICT).
/// </summary>
/// <param name="connect">Returns a new open connection; the caller disposes it.</param>
public sealed class IndexTables(Func<DbConnection> connect)
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS job_index (
          job_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, version BIGINT NOT NULL, status TEXT NOT NULL,
          worker TEXT, tags TEXT NOT NULL, wake_at BIGINT, generation BIGINT NOT NULL, view TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS job_index_wake ON job_index (wake_at) WHERE wake_at IS NOT NULL;
        CREATE TABLE IF NOT EXISTS job_triggers (
          trigger_key TEXT NOT NULL, job_id TEXT NOT NULL, PRIMARY KEY (trigger_key, job_id));
        CREATE INDEX IF NOT EXISTS job_triggers_job ON job_triggers (job_id);
        """;

    /// <summary>On PostgreSQL the rows of a batch are one upsert (a job's second row in a batch goes in another).</summary>
    private static readonly RowStatement UpsertRow = RowStatement.Insert("""
        INSERT INTO job_index (job_id, shard, version, status, worker, tags, wake_at, generation, view, board)
        VALUES (@id, @shard, @version, @status, @worker, @tags, @wake, @generation, @view, @board)
        ON CONFLICT (job_id) DO UPDATE SET shard = excluded.shard, version = excluded.version,
          status = excluded.status, worker = excluded.worker, tags = excluded.tags, wake_at = excluded.wake_at,
          generation = excluded.generation, view = excluded.view, board = excluded.board
        WHERE excluded.version >= job_index.version
        """, key: "@id");

    private const string ClearTriggers = "DELETE FROM job_triggers WHERE job_id = @id";

    private const string AddTrigger = "INSERT INTO job_triggers (trigger_key, job_id) VALUES (@key, @id) ON CONFLICT DO NOTHING";

    /// <summary>The runs read model, written with the job rows (<see cref="JobIndexRow.Runs"/>).</summary>
    public RunTables Runs => new(connect);

    /// <summary>The boards the jobs belong to (the <c>board</c> column, added to older databases by <see cref="EnsureSchema"/>).</summary>
    public BoardTables Boards => new(connect);

    /// <summary>
    /// Creates the job index, the trigger index and the runs read model where they do not exist yet, in one
    /// transaction. A database whose jobs ran before the runs read model existed gets its jobs queued, with the new
    /// table, for their runs to be filled in from their journals (Index/RunBackfill).
    /// </summary>
    public void EnsureSchema()
    {
        var runsAreNew = !TableExists("runs");
        using var connection = connect();
        using var transaction = connection.BeginTransaction();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = Schema + RunTables.Schema + (runsAreNew ? RunTables.QueueBackfill : "");
            command.ExecuteNonQuery();
        }
        BoardTables.EnsureColumn(connection, transaction);
        transaction.Commit();
        // The work queues and deployed scripts live in the same database: every node, backup and restore makes them here.
        new QueueTables(connect).EnsureSchema();
        new DeployedScriptTables(connect).EnsureSchema();
    }

    /// <summary>Writes rows in one transaction; a row older (by version) than the stored one is ignored.</summary>
    public void Upsert(IReadOnlyCollection<JobIndexRow> rows) => Write(connect, statements => AddUpserts(statements, rows));

    /// <summary>The statements <paramref name="add"/> adds, in one transaction on a connection of their own.</summary>
    internal static void Write(Func<DbConnection> connect, Action<SqlStatements> add)
    {
        using var connection = connect();
        using var transaction = connection.BeginTransaction();
        using (var statements = SqlStatements.For(connection, transaction))
        {
            add(statements);
            statements.Execute();
        }
        transaction.Commit();
    }

    /// <summary>
    /// The rows' upserts, trigger changes and run rows, added to a transaction of the caller's (the journal writer adds
    /// new jobs' rows to the transaction of their first event).
    /// </summary>
    internal static void AddUpserts(SqlStatements statements, IEnumerable<JobIndexRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Runs is { Count: > 0 } runs)
                RunTables.AddUpserts(statements, runs);
            statements.AddRow(UpsertRow, ("@id", row.JobId.Value), ("@shard", row.Shard), ("@version", row.Version), ("@status", StatusName(row.Status)),
                ("@worker", row.Worker), ("@tags", TagText(row.Tags)), ("@wake", (object?)row.WakeAt?.ToUnixTimeMilliseconds() ?? NullOf.Int64),
                ("@generation", row.Generation), ("@view", row.ViewJson()), ("@board", row.Source.Definition.Board));
            if (row.TriggerKeys is null || (row.Version == 1 && row.TriggerKeys.Count == 0))
                continue; // unchanged, or a new job that listens to nothing: no rows to clear or add
            statements.Add(ClearTriggers, ("@id", row.JobId.Value));
            foreach (var key in row.TriggerKeys.Distinct())
                statements.Add(AddTrigger, ("@key", key), ("@id", row.JobId.Value));
        }
    }

    /// <summary>Wake-ups due at or before <paramref name="horizon"/>, earliest first.</summary>
    public IReadOnlyList<DueWake> DueBy(DateTimeOffset horizon, int limit) =>
        Query("SELECT job_id, wake_at, generation FROM job_index WHERE wake_at IS NOT NULL AND wake_at <= @horizon ORDER BY wake_at LIMIT @limit",
            row => new DueWake(JobId.Parse(row.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), row.GetInt64(2)),
            ("@horizon", horizon.ToUnixTimeMilliseconds()), ("@limit", limit));

    /// <summary>View JSON of the jobs matching the filter, ordered by id, after the cursor.</summary>
    public IReadOnlyList<string> List(JobListQuery filter) =>
        Query("""
            SELECT view FROM job_index
            WHERE (@status IS NULL OR status = @status) AND (@worker IS NULL OR worker = @worker)
              AND (@tag IS NULL OR tags LIKE @tag ESCAPE '\') AND (@after IS NULL OR job_id > @after)
              AND (@search IS NULL OR LOWER(job_id) LIKE @search ESCAPE '\') AND (@board IS NULL OR board = @board)
            ORDER BY job_id LIMIT @limit
            """,
            row => row.GetString(0),
            ("@status", filter.Status is { } s ? StatusName(s) : null), ("@worker", filter.Worker),
            ("@tag", filter.Tag is null ? null : $"%|{EscapeLike(filter.Tag)}|%"), ("@after", filter.After?.Value),
            ("@search", filter.Search is null ? null : $"%{EscapeLike(filter.Search.ToLowerInvariant())}%"), ("@board", filter.Board),
            ("@limit", filter.Limit));

    /// <summary>The journal's highest global position (0 when it is empty or not created yet).</summary>
    public long LatestJournalPosition() =>
        TableExists("journal") ? Query("SELECT COALESCE(MAX(ordering), 0) FROM journal", row => row.GetInt64(0)).Single() : 0;

    /// <summary>How many jobs have each status, from the index rows (the list read model).</summary>
    public IReadOnlyDictionary<string, long> CountByStatus() =>
        Query("SELECT status, COUNT(*) FROM job_index GROUP BY status", row => (Status: row.GetString(0), Count: row.GetInt64(1)))
            .ToDictionary(pair => pair.Status, pair => pair.Count);

    /// <summary>For each list of trigger keys, the jobs listening on any of them: one query for all lists.</summary>
    public IReadOnlyList<IReadOnlyList<JobId>> Listeners(IReadOnlyList<IReadOnlyList<string>> keyLists)
    {
        var keys = keyLists.SelectMany(list => list).Distinct().ToList();
        var listening = keys.Count == 0
            ? []
            : Query($"SELECT trigger_key, job_id FROM job_triggers WHERE trigger_key IN ({string.Join(", ", keys.Select((_, i) => $"@k{i}"))})",
                row => (Key: row.GetString(0), Job: JobId.Parse(row.GetString(1))),
                keys.Select((key, i) => ($"@k{i}", (object?)key)).ToArray());
        var byKey = listening.ToLookup(pair => pair.Key, pair => pair.Job);
        return keyLists.Select(list => (IReadOnlyList<JobId>)list.SelectMany(key => byKey[key]).Distinct().ToList()).ToList();
    }

    /// <summary>
    /// Jobs whose journal is ahead of their index row, with the version the row has (0: none): rows still in the index
    /// writer's batch when the process died. Reads every journal key, so it runs only after an unclean stop.
    /// </summary>
    public IReadOnlyList<(JobId Job, long IndexedVersion)> BehindTheirJournal()
    {
        // Before the first recovery of a new database the plugin has not created its journal yet. Works on SQLite
        // and PostgreSQL alike (sqlite_master is SQLite's catalog, information_schema PostgreSQL's).
        if (!TableExists("journal"))
            return [];
        var idStart = JobPersistenceId.Prefix.Length + 1; // SQL's substr counts from 1
        return Query($"""
                SELECT substr(j.persistence_id, {idStart}), COALESCE(MAX(i.version), 0) FROM journal j
                LEFT JOIN job_index i ON i.job_id = substr(j.persistence_id, {idStart})
                WHERE j.persistence_id LIKE '{JobPersistenceId.Prefix}%'
                GROUP BY j.persistence_id
                HAVING MAX(j.sequence_number) > COALESCE(MAX(i.version), 0)
                """,
                row => (Id: row.GetString(0), Version: row.GetInt64(1)))
            .Where(behind => JobId.IsValid(behind.Id))
            .Select(behind => (JobId.Parse(behind.Id), behind.Version))
            .ToList();
    }

    private bool TableExists(string name) =>
        Query(Sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = @name"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name",
            row => row.GetString(0), ("@name", name)).Count > 0;

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();

    private static string TagText(IReadOnlyList<string> tags) => tags.Count == 0 ? "" : $"|{string.Join('|', tags)}|";

    private bool Sqlite => _sqlite.Value;

    private readonly Lazy<bool> _sqlite = new(() =>
    {
        using var connection = connect();
        return connection is Microsoft.Data.Sqlite.SqliteConnection;
    });

    private List<T> Query<T>(string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] values) => Query(connect, sql, row, values);

    /// <summary>The rows of <paramref name="sql"/>, each read by <paramref name="row"/>, on a connection of their own.</summary>
    internal static List<T> Query<T>(Func<DbConnection> connect, string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] values)
    {
        using var connection = connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in values)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            // PostgreSQL must know a NULL's type ("@status IS NULL"): a text NULL unless NullOf says otherwise.
            SqlStatements.Set(parameter, value);
            command.Parameters.Add(parameter);
        }
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(row(reader));
        return rows;
    }
}
