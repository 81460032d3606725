namespace ActorScheduler.Bench.Storage;

/// <summary>
/// Where each run keeps its data: a directory per scenario and system under the work root (the SQLite files,
/// and ActorScheduler's data directory on either database), and on PostgreSQL a schema per run for Quartz and for
/// Hangfire, and a database per run for ActorScheduler. Nothing is shared between runs.
/// </summary>
public sealed class Workspace(BenchOptions options, DatabaseKind kind)
{
    public DatabaseKind Kind => kind;

    public string Name => kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";

    private string Root => Path.Combine(options.WorkRoot, Name);

    public Task<OurDatabase> NewOurDatabaseAsync(string run)
    {
        var directory = Path.Combine(Root, run, "actorscheduler");
        return kind == DatabaseKind.Sqlite
            ? Task.FromResult(new OurDatabase(DatabaseKind.Sqlite, directory))
            : OurDatabase.CreatePostgresAsync(options.PostgresConnection, PostgresName("bench_ours", run), directory);
    }

    public Task<QuartzDatabase> NewQuartzDatabaseAsync(string run) => kind == DatabaseKind.Sqlite
        ? Task.FromResult(QuartzDatabase.CreateSqlite(Path.Combine(Root, run, "quartz", "quartz.db")))
        : QuartzDatabase.CreatePostgresAsync(options.PostgresConnection, PostgresName("bench", run));

    public Task<HangfireDatabase> NewHangfireDatabaseAsync(string run) => kind == DatabaseKind.Sqlite
        ? Task.FromResult(HangfireDatabase.CreateSqlite(Path.Combine(Root, run, "hangfire", "hangfire.db")))
        : HangfireDatabase.CreatePostgresAsync(options.PostgresConnection, PostgresName("bench_hangfire", run));

    public Task DropAsync(OurDatabase database) => database.DropAsync(options.PostgresConnection);

    public void Delete()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }

    /// <summary>A schema or database name of this process's run: unquoted, so lower case letters, digits and '_'.</summary>
    private static string PostgresName(string prefix, string run) => $"{prefix}_{run.Replace('-', '_')}_{Environment.ProcessId}";
}
