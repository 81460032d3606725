using ActorScheduler.Core.Definitions;
using System.Data.Common;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Engine.Index;

/// <summary>
/// One row per job, derived from its events and re-written by the job itself: the wake-up time index
/// (<c>wake_at</c>, <c>generation</c>) and the list read model (status, worker, tags, view JSON).
/// </summary>
/// <param name="Source">The job state the row was taken from (immutable); its view is rendered as JSON only when
/// the row is written, so a row replaced by a newer one before the writer's next flush costs no JSON.</param>
public sealed record JobIndexRow(
    string JobId,
    int Shard,
    long Version,
    JobStatus Status,
    string? Worker,
    IReadOnlyList<string> Tags,
    DateTimeOffset? WakeAt,
    long Generation,
    JobState Source,
    IReadOnlyList<string>? TriggerKeys)
{
    public string ViewJson() => CoreJson.Serialize(JobView.From(Source));
}

public sealed record DueWake(string JobId, DateTimeOffset WakeAt, long Generation);

/// <summary>A job's first journal row (as the journal plugin writes it) and its index row.</summary>
public sealed record NewJob(string PersistenceId, long CreatedTicks, byte[] Payload, string Manifest, int SerializerId, JobIndexRow Row);

/// <summary>
/// SQL access to the job index and the trigger index, in the same database as the journal. Plain ADO.NET with
/// SQL that SQLite and PostgreSQL both accept (INSERT … ON CONFLICT), against the journal plugin's own tables.
/// </summary>
public sealed class JobIndexStore(Func<DbConnection> connect)
{
    public static JobIndexStore ForSqlite(string connectionString) => new(() => new SqliteConnection(connectionString));

    /// <summary><paramref name="connect"/> returns a new connection, open or not; the store disposes it.</summary>

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS job_index (
          job_id TEXT PRIMARY KEY, shard INTEGER NOT NULL, version BIGINT NOT NULL, status TEXT NOT NULL,
          worker TEXT, tags TEXT NOT NULL, wake_at BIGINT, generation BIGINT NOT NULL, view TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS job_index_wake ON job_index (wake_at) WHERE wake_at IS NOT NULL;
        CREATE TABLE IF NOT EXISTS job_triggers (
          trigger_key TEXT NOT NULL, job_id TEXT NOT NULL, PRIMARY KEY (trigger_key, job_id));
        CREATE INDEX IF NOT EXISTS job_triggers_job ON job_triggers (job_id);
        """;

    public void EnsureSchema()
    {
        using var connection = Open();
        Execute(connection, null, Schema);
    }

    /// <summary>Writes rows in one transaction; a row older (by version) than the stored one is ignored.</summary>
    public void Upsert(IReadOnlyCollection<JobIndexRow> rows)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        UpsertRows(connection, transaction, rows);
        transaction.Commit();
    }

    /// <summary>
    /// Creates jobs in bulk: each job's first journal event and its index row, all in one transaction. A job
    /// whose first event already exists (the id is taken) is left alone; the answer says which were created.
    /// </summary>
    public IReadOnlyList<bool> Create(IReadOnlyList<NewJob> jobs)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var insert = Command(connection, transaction, """
            INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
            VALUES (@created, @deleted, @pid, 1, @message, '', @manifest, @serializer, @writer)
            ON CONFLICT (persistence_id, sequence_number) DO NOTHING
            """, "@created", "@deleted", "@pid", "@message", "@manifest", "@serializer", "@writer");
        var created = new bool[jobs.Count];
        var rows = new List<JobIndexRow>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            Bind(insert, [job.CreatedTicks, false, job.PersistenceId, job.Payload, job.Manifest, job.SerializerId, WriterId]);
            created[i] = insert.ExecuteNonQuery() == 1;
            if (created[i])
                rows.Add(job.Row);
        }
        UpsertRows(connection, transaction, rows);
        transaction.Commit();
        return created;
    }

    private static readonly string WriterId = Guid.NewGuid().ToString("N");

    private const string UpsertRow = """
        INSERT INTO job_index (job_id, shard, version, status, worker, tags, wake_at, generation, view)
        VALUES (@id, @shard, @version, @status, @worker, @tags, @wake, @generation, @view)
        ON CONFLICT (job_id) DO UPDATE SET shard = excluded.shard, version = excluded.version,
          status = excluded.status, worker = excluded.worker, tags = excluded.tags, wake_at = excluded.wake_at,
          generation = excluded.generation, view = excluded.view
        WHERE excluded.version >= job_index.version
        """;

    private const string ClearTriggers = "DELETE FROM job_triggers WHERE job_id = @id";

    private const string AddTrigger = "INSERT INTO job_triggers (trigger_key, job_id) VALUES (@key, @id) ON CONFLICT DO NOTHING";

    /// <summary>The rows' upserts and trigger changes; on PostgreSQL in one round trip (<see cref="SqlStatements"/>).</summary>
    private static void UpsertRows(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<JobIndexRow> rows)
    {
        using var statements = SqlStatements.For(connection, transaction);
        foreach (var row in rows)
        {
            statements.Add(UpsertRow, ("@id", row.JobId), ("@shard", row.Shard), ("@version", row.Version), ("@status", StatusName(row.Status)),
                ("@worker", row.Worker), ("@tags", TagText(row.Tags)), ("@wake", (object?)row.WakeAt?.ToUnixTimeMilliseconds() ?? NullOf.Int64),
                ("@generation", row.Generation), ("@view", row.ViewJson()));
            if (row.TriggerKeys is null || (row.Version == 1 && row.TriggerKeys.Count == 0))
                continue; // unchanged, or a new job that listens to nothing: no rows to clear or add
            statements.Add(ClearTriggers, ("@id", row.JobId));
            foreach (var key in row.TriggerKeys.Distinct())
                statements.Add(AddTrigger, ("@key", key), ("@id", row.JobId));
        }
        statements.Execute();
    }

    /// <summary>Wake-ups due at or before <paramref name="horizon"/>, earliest first.</summary>
    public IReadOnlyList<DueWake> DueBy(DateTimeOffset horizon, int limit)
    {
        using var connection = Open();
        using var query = Command(connection, null,
            "SELECT job_id, wake_at, generation FROM job_index WHERE wake_at IS NOT NULL AND wake_at <= @horizon ORDER BY wake_at LIMIT @limit",
            "@horizon", "@limit");
        using var reader = Execute(query, horizon.ToUnixTimeMilliseconds(), limit);
        var due = new List<DueWake>();
        while (reader.Read())
            due.Add(new DueWake(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2)));
        return due;
    }

    /// <summary>View JSON of the jobs matching the filter, ordered by id, after the cursor.</summary>
    public IReadOnlyList<string> List(JobListQuery filter)
    {
        using var connection = Open();
        using var query = Command(connection, null, """
            SELECT view FROM job_index
            WHERE (@status IS NULL OR status = @status) AND (@worker IS NULL OR worker = @worker)
              AND (@tag IS NULL OR tags LIKE @tag ESCAPE '\') AND (@after IS NULL OR job_id > @after)
            ORDER BY job_id LIMIT @limit
            """, "@status", "@worker", "@tag", "@after", "@limit");
        using var reader = Execute(query, filter.Status is { } s ? StatusName(s) : null, filter.Worker,
            filter.Tag is null ? null : $"%|{EscapeLike(filter.Tag)}|%", filter.After, filter.Limit);
        var views = new List<string>();
        while (reader.Read())
            views.Add(reader.GetString(0));
        return views;
    }

    /// <summary>The jobs listening on any of <paramref name="keys"/> (see <see cref="TriggerKeys"/>).</summary>
    public IReadOnlyList<string> Listeners(IReadOnlyList<string> keys) => Listeners([keys])[0];

    /// <summary>For each list of trigger keys, the jobs listening on any of them: one query for all lists.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Listeners(IReadOnlyList<IReadOnlyList<string>> keyLists)
    {
        var keys = keyLists.SelectMany(list => list).Distinct().ToList();
        var byKey = new Dictionary<string, List<string>>();
        if (keys.Count > 0)
        {
            using var connection = Open();
            var names = keys.Select((_, i) => $"@k{i}").ToArray();
            using var query = Command(connection, null,
                $"SELECT trigger_key, job_id FROM job_triggers WHERE trigger_key IN ({string.Join(", ", names)})", names);
            using var reader = Execute(query, keys.Cast<object?>().ToArray());
            while (reader.Read())
            {
                var key = reader.GetString(0);
                if (!byKey.TryGetValue(key, out var jobs))
                    byKey[key] = jobs = new List<string>();
                jobs.Add(reader.GetString(1));
            }
        }
        return keyLists.Select(list => (IReadOnlyList<string>)list
                .SelectMany(key => byKey.TryGetValue(key, out var jobs) ? jobs : [])
                .Distinct()
                .ToList())
            .ToList();
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private DbConnection Open()
    {
        var connection = connect();
        if (connection.State != System.Data.ConnectionState.Open)
            connection.Open();
        return connection;
    }

    private static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();

    private static string TagText(IReadOnlyList<string> tags) => tags.Count == 0 ? "" : $"|{string.Join('|', tags)}|";

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void Run(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static DbDataReader Execute(DbCommand command, params object?[] values)
    {
        Bind(command, values);
        return command.ExecuteReader();
    }

    private static void Bind(DbCommand command, object?[] values)
    {
        // PostgreSQL must know a NULL's type ("@status IS NULL", a bigint column): text unless NullOf says otherwise.
        for (var i = 0; i < values.Length; i++)
            SqlStatements.Set(command.Parameters[i], values[i]);
    }
}


/// <summary>How triggers are keyed in <c>job_triggers</c>: by source job and outcome, or by event name.</summary>
public static class TriggerKeys
{
    public static string ForJob(string jobId, string on) => $"job:{jobId}:{on}";

    public static string ForEvent(string name) => $"event:{name}";
}
