namespace ActorScheduler.Bench.Storage;

/// <summary>
/// Where each run keeps its data: a directory per scenario and system under the work root for SQLite, a
/// schema per scenario for Quartz on PostgreSQL. Nothing is shared between runs.
/// </summary>
public sealed class Workspace(BenchOptions options, DatabaseKind kind)
{
    public const string OursOnPostgres = "n/a (no PostgreSQL profile yet)";

    public DatabaseKind Kind => kind;

    public string Name => kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";

    /// <summary>The engine has a SQLite profile only so far; PostgreSQL arrives with its own issue.</summary>
    public bool OursSupported => kind == DatabaseKind.Sqlite;

    private string Root => Path.Combine(options.WorkRoot, Name);

    public string OurDirectory(string run) => Path.Combine(Root, run, "actorscheduler");

    public Task<QuartzDatabase> NewQuartzDatabaseAsync(string run) => kind == DatabaseKind.Sqlite
        ? Task.FromResult(QuartzDatabase.CreateSqlite(Path.Combine(Root, run, "quartz", "quartz.db")))
        : QuartzDatabase.CreatePostgresAsync(options.PostgresConnection, $"bench_{run.Replace('-', '_')}_{Environment.ProcessId}");

    public void Delete()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
