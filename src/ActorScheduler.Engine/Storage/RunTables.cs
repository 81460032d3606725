using System.Data;
using System.Data.Common;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Storage;

/// <summary>
/// A page of the run history, newest first (<see cref="RunCursor"/>), after the cursor <paramref name="After"/>:
/// <paramref name="From"/> and <paramref name="To"/> bound the scheduled time, [From, To). <paramref name="WithOutput"/>
/// false leaves every run's output out (a list that shows none need not read them).
/// </summary>
public sealed record RunListQuery(
    JobId? Job, RunStatus? Status, string? Worker, RunTrigger? Trigger, DateTimeOffset? From, DateTimeOffset? To, int Limit,
    RunCursor? After, bool WithOutput = true);

/// <summary>Where a run's row stands: its status, and the output its finish recorded.</summary>
public sealed record StoredOutput(RunStatus Status, string? Output);

/// <summary>
/// The runs read model (<c>runs</c>): one row per run of every job, written by the index writer in the same
/// transaction as its job's <c>job_index</c> row, and holding the run's output, the only copy outside the journal.
/// Times are UTC ticks (as the journal's <c>created</c>), so a row reads back to exactly the run its job holds.
/// Plain ADO.NET with SQL that SQLite and PostgreSQL both accept (INSERT … ON CONFLICT, row values).
/// </summary>
/// <param name="connect">Returns a new open connection; the caller disposes it.</param>
public sealed class RunTables(Func<DbConnection> connect)
{
    /// <summary>The table and an index per filter, each ending in the list order so a filtered page is an index range.</summary>
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (
          run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, seq BIGINT NOT NULL, version BIGINT NOT NULL,
          attempt INTEGER NOT NULL, status TEXT NOT NULL, run_trigger TEXT NOT NULL, worker TEXT,
          scheduled_for BIGINT NOT NULL, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT,
          exit_code INTEGER, fencing_token BIGINT NOT NULL, retry_of TEXT, progress_current BIGINT, progress_max BIGINT,
          cancel_requested INTEGER NOT NULL, data TEXT, error TEXT, output TEXT);
        CREATE INDEX IF NOT EXISTS runs_newest ON runs (scheduled_for, job_id, seq);
        CREATE INDEX IF NOT EXISTS runs_of_job ON runs (job_id, scheduled_for, seq);
        CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, scheduled_for, job_id, seq);
        CREATE INDEX IF NOT EXISTS runs_by_worker ON runs (worker, scheduled_for, job_id, seq);
        CREATE TABLE IF NOT EXISTS runs_backfill (job_id TEXT PRIMARY KEY);
        """;

    /// <summary>
    /// With a new <c>runs</c> table: every job there is, to have the runs of its journal filled in ("WHERE true": SQLite
    /// would read the ON CONFLICT after a bare SELECT as part of a join).
    /// </summary>
    internal const string QueueBackfill = "INSERT INTO runs_backfill (job_id) SELECT job_id FROM job_index WHERE true ON CONFLICT DO NOTHING;";

    /// <summary>A row older (by its job's version) than the stored one changes nothing; a stored output is never cleared.</summary>
    private static readonly RowStatement UpsertRow = RowStatement.Insert("""
        INSERT INTO runs (run_id, job_id, seq, version, attempt, status, run_trigger, worker, scheduled_for, created_at,
          started_at, finished_at, exit_code, fencing_token, retry_of, progress_current, progress_max, cancel_requested, data, error, output)
        VALUES (@run, @job, @seq, @version, @attempt, @status, @trigger, @worker, @scheduled, @created,
          @started, @finished, @exit, @fencing, @retryOf, @progress, @progressMax, @cancel, @data, @error, @output)
        ON CONFLICT (run_id) DO UPDATE SET version = excluded.version, attempt = excluded.attempt, status = excluded.status,
          run_trigger = excluded.run_trigger, worker = excluded.worker, scheduled_for = excluded.scheduled_for,
          created_at = excluded.created_at, started_at = excluded.started_at, finished_at = excluded.finished_at,
          exit_code = excluded.exit_code, fencing_token = excluded.fencing_token, retry_of = excluded.retry_of,
          progress_current = excluded.progress_current, progress_max = excluded.progress_max,
          cancel_requested = excluded.cancel_requested, data = excluded.data, error = excluded.error,
          output = COALESCE(excluded.output, runs.output)
        WHERE excluded.version >= runs.version
        """, key: "@run");

    private const string Columns = """
        run_id, job_id, attempt, status, run_trigger, worker, scheduled_for, created_at, started_at, finished_at, exit_code,
        fencing_token, retry_of, progress_current, progress_max, cancel_requested, data, error
        """;

    private const string NewestFirst = "ORDER BY scheduled_for DESC, job_id DESC, seq DESC";

    private static readonly NullOf NullInt32 = new(DbType.Int32);

    /// <summary>The run rows' upserts, added to the caller's transaction (the index writer's, with their jobs' rows).</summary>
    internal static void AddUpserts(SqlStatements statements, IEnumerable<RunRow> rows)
    {
        foreach (var (job, run, output, version) in rows)
            statements.AddRow(UpsertRow, ("@run", run.RunId.ToString()), ("@job", job.Value), ("@seq", run.RunId.Sequence), ("@version", version),
                ("@attempt", run.Attempt), ("@status", CoreJson.WireName(run.Status)), ("@trigger", CoreJson.WireName(run.Trigger)),
                ("@worker", run.Worker), ("@scheduled", run.ScheduledFor.UtcTicks), ("@created", run.CreatedAt.UtcTicks),
                ("@started", Ticks(run.StartedAt)), ("@finished", Ticks(run.FinishedAt)), ("@exit", (object?)run.ExitCode ?? NullInt32),
                ("@fencing", run.FencingToken), ("@retryOf", run.RetryOf?.ToString()), ("@progress", (object?)run.ProgressCurrent ?? NullOf.Int64),
                ("@progressMax", (object?)run.ProgressMax ?? NullOf.Int64), ("@cancel", run.CancelRequested ? 1 : 0),
                ("@data", run.Data is { ValueKind: not JsonValueKind.Undefined } data ? data.GetRawText() : null), ("@error", Storable(run.Error)), ("@output", Storable(output)));
    }

    /// <summary>
    /// Text as both databases store it: PostgreSQL's text holds no NUL and only valid UTF-8, and a process may print
    /// either, so each NUL and each lone surrogate becomes U+FFFD (the journal's JSON keeps the exact text). One row
    /// that cannot be written would fail its whole batch, every job's rows with it, again and again.
    /// </summary>
    internal static string? Storable(string? text)
    {
        if (text is null || (text.AsSpan().IndexOf('\0') < 0 && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0))
            return text;
        return System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text.Replace('\0', '\uFFFD')));
    }

    /// <summary>Writes run rows alone, in one transaction (a rebuild; the live path writes them with their job rows).</summary>
    public void Upsert(IReadOnlyCollection<RunRow> rows) => IndexTables.Write(connect, statements => AddUpserts(statements, rows));

    /// <summary>
    /// Each job's journal entries after the version given (at most <paramref name="max"/>), oldest first: what a rebuild
    /// of its run rows replays.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<StoredEvent>> JournalAfter(IReadOnlyList<(JobId Job, long Version)> jobs, long max = long.MaxValue) =>
        new JournalReads(connect).Events(
            jobs.Select(job => new ReplayRequest(JobPersistenceId.Of(job.Job), job.Version + 1, long.MaxValue, max)).ToList());

    /// <summary>Jobs still waiting to have their runs filled in (in no fixed order, so nodes doing it at once mostly differ).</summary>
    public IReadOnlyList<JobId> WaitingForBackfill(int limit) =>
        Query("SELECT job_id FROM runs_backfill ORDER BY random() LIMIT @limit", row => row.GetString(0), ("@limit", limit))
            .Where(JobId.IsValid).Select(JobId.Parse).ToList();

    public void Backfilled(JobId job) =>
        IndexTables.Write(connect, statements => statements.Add("DELETE FROM runs_backfill WHERE job_id = @job", ("@job", job.Value)));

    /// <summary>
    /// A page of runs, newest first. Only the filters given become SQL (each a fixed fragment with its parameter), so
    /// the database picks the index that fits; the cursor is a row-value comparison on the list order.
    /// </summary>
    public IReadOnlyList<RunView> List(RunListQuery query)
    {
        var where = new List<string>();
        var values = new List<(string, object?)> { ("@limit", query.Limit) };
        void Filter(string condition, params (string, object?)[] parameters)
        {
            where.Add(condition);
            values.AddRange(parameters);
        }
        if (query.Job is { } job)
            Filter("job_id = @job", ("@job", job.Value));
        if (query.Status is { } status)
            Filter("status = @status", ("@status", CoreJson.WireName(status)));
        if (query.Worker is { } worker)
            Filter("worker = @worker", ("@worker", worker));
        if (query.Trigger is { } trigger)
            Filter("run_trigger = @trigger", ("@trigger", CoreJson.WireName(trigger)));
        if (query.From is { } from)
            Filter("scheduled_for >= @from", ("@from", from.UtcTicks));
        if (query.To is { } to)
            Filter("scheduled_for < @to", ("@to", to.UtcTicks));
        // Within one job the job id is the same on both sides of the cursor; leaving it out lets the job's index serve the range.
        if (query.After is { } after && query.Job is null)
            Filter("(scheduled_for, job_id, seq) < (@afterAt, @afterJob, @afterSeq)",
                ("@afterAt", after.ScheduledFor.UtcTicks), ("@afterJob", after.RunId.Job.Value), ("@afterSeq", after.RunId.Sequence));
        else if (query.After is { } ofJob)
            Filter("(scheduled_for, seq) < (@afterAt, @afterSeq)", ("@afterAt", ofJob.ScheduledFor.UtcTicks), ("@afterSeq", ofJob.RunId.Sequence));
        var conditions = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        return Query($"SELECT {Columns}, {(query.WithOutput ? "output" : "NULL")} FROM runs {conditions} {NewestFirst} LIMIT @limit",
            ReadView, values.ToArray());
    }

    /// <summary>One run with its output, or null when no row holds it.</summary>
    public RunView? Find(RunId runId) =>
        Query($"SELECT {Columns}, output FROM runs WHERE run_id = @run", ReadView, ("@run", runId.ToString())).SingleOrDefault();

    /// <summary>Of the runs asked for, those with a row: its status and output.</summary>
    public IReadOnlyDictionary<RunId, StoredOutput> Outputs(IReadOnlyCollection<RunId> runs)
    {
        if (runs.Count == 0)
            return new Dictionary<RunId, StoredOutput>();
        var ids = runs.Select((run, i) => ($"@r{i}", (object?)run.ToString())).ToArray();
        return Query($"SELECT run_id, status, output FROM runs WHERE run_id IN ({string.Join(", ", ids.Select(id => id.Item1))})",
                row => (Id: ParseRunId(row.GetString(0)), Stored: new StoredOutput(ParseWire<RunStatus>(row.GetString(1)), NullableString(row, 2))), ids)
            .ToDictionary(pair => pair.Id, pair => pair.Stored);
    }

    /// <summary>The runs each job has in flight (pending or running) by its rows, without output: where a rebuild of its later events starts.</summary>
    public ILookup<JobId, RunRecord> InFlight(IReadOnlyCollection<JobId> jobs)
    {
        if (jobs.Count == 0)
            return Array.Empty<RunRecord>().ToLookup(run => run.RunId.Job);
        var ids = jobs.Select((job, i) => ($"@j{i}", (object?)job.Value)).ToArray();
        return Query($"""
                SELECT {Columns}, NULL FROM runs WHERE job_id IN ({string.Join(", ", ids.Select(id => id.Item1))})
                  AND status IN ('{CoreJson.WireName(RunStatus.Pending)}', '{CoreJson.WireName(RunStatus.Running)}')
                """, row => ReadRecord(row).Run, ids)
            .ToLookup(run => run.RunId.Job);
    }

    private static RunView ReadView(DbDataReader row)
    {
        var (run, output) = ReadRecord(row);
        return RunView.From(run.RunId.Job, run, output);
    }

    /// <summary>A row in <see cref="Columns"/> order, then the output, as the run record its job holds.</summary>
    private static (RunRecord Run, string? Output) ReadRecord(DbDataReader row) =>
        (new RunRecord(
            ParseRunId(row.GetString(0)),
            Attempt: row.GetInt32(2),
            Trigger: ParseWire<RunTrigger>(row.GetString(4)),
            ScheduledFor: Time(row, 6)!.Value,
            FencingToken: row.GetInt64(11),
            Status: ParseWire<RunStatus>(row.GetString(3)),
            CreatedAt: Time(row, 7)!.Value,
            Data: row.IsDBNull(16) ? null : JsonDocument.Parse(row.GetString(16)).RootElement.Clone(),
            RetryOf: row.IsDBNull(12) ? null : ParseRunId(row.GetString(12)),
            StartedAt: Time(row, 8),
            FinishedAt: Time(row, 9),
            Worker: NullableString(row, 5),
            ExitCode: row.IsDBNull(10) ? null : row.GetInt32(10),
            ProgressCurrent: row.IsDBNull(13) ? null : row.GetInt64(13),
            ProgressMax: row.IsDBNull(14) ? null : row.GetInt64(14),
            Error: NullableString(row, 17),
            CancelRequested: row.GetInt32(15) != 0),
         NullableString(row, 18));

    private static object Ticks(DateTimeOffset? time) => (object?)time?.UtcTicks ?? NullOf.Int64;

    private static DateTimeOffset? Time(DbDataReader row, int column) =>
        row.IsDBNull(column) ? null : new DateTimeOffset(row.GetInt64(column), TimeSpan.Zero);

    private static string? NullableString(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static RunId ParseRunId(string text) =>
        RunId.TryParse(text, out var runId) ? runId : throw new DataException($"'{text}' in the runs table is not a run id.");

    /// <summary>An enum value as <see cref="CoreJson.WireName{TEnum}"/> wrote it (camelCase).</summary>
    private static T ParseWire<T>(string name) where T : struct, Enum => Enum.Parse<T>(name, ignoreCase: true);

    private List<T> Query<T>(string sql, Func<DbDataReader, T> row, params (string Name, object? Value)[] values) =>
        IndexTables.Query(connect, sql, row, values);
}
