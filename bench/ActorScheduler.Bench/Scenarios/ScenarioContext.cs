using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Bench.Storage;
using ActorScheduler.Bench.Systems;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>What every scenario of one database's pass shares: sizes, fresh storage per run, the result table.</summary>
public sealed class ScenarioContext(BenchOptions options, Workspace workspace, ResultTable table) : IAsyncDisposable
{
    private readonly List<QuartzDatabase> _quartzDatabases = [];
    private readonly List<OurDatabase> _ourDatabases = [];
    private readonly List<HangfireDatabase> _hangfireDatabases = [];

    public BenchOptions Options => options;

    public Sizes Sizes => options.Sizes;

    public Workspace Workspace => workspace;

    public ResultTable Table => table;

    public string Label(string scenario, string size) => $"{scenario} {size} ({workspace.Name})";

    /// <summary>A fresh engine on its own empty database for the run named <paramref name="run"/>.</summary>
    public async Task<OurSystem> StartOursAsync(string run, FireLog fires, string extraHocon = "")
    {
        Progress.Say($"  starting ActorScheduler for {run}");
        return await OurSystem.StartAsync(await NewOurDatabaseAsync(run), fires, extraHocon);
    }

    public async Task<OurDatabase> NewOurDatabaseAsync(string run)
    {
        var database = await workspace.NewOurDatabaseAsync(run);
        _ourDatabases.Add(database);
        return database;
    }

    /// <summary>A fresh Quartz scheduler on its own empty tables for the run named <paramref name="run"/>.</summary>
    public async Task<QuartzSystem> StartQuartzAsync(string run, FireLog fires)
    {
        Progress.Say($"  starting Quartz for {run}");
        return await QuartzSystem.StartAsync(await NewQuartzDatabaseAsync(run), fires, $"bench-{run}");
    }

    public async Task<QuartzDatabase> NewQuartzDatabaseAsync(string run)
    {
        var database = await workspace.NewQuartzDatabaseAsync(run);
        _quartzDatabases.Add(database);
        return database;
    }

    /// <summary>A fresh Hangfire server on its own empty storage for the run named <paramref name="run"/>.</summary>
    public async Task<HangfireSystem> StartHangfireAsync(string run, FireLog fires)
    {
        Progress.Say($"  starting Hangfire for {run}");
        return await HangfireSystem.StartAsync(await NewHangfireDatabaseAsync(run), fires, $"bench-{run}");
    }

    public async Task<HangfireDatabase> NewHangfireDatabaseAsync(string run)
    {
        var database = await workspace.NewHangfireDatabaseAsync(run);
        _hangfireDatabases.Add(database);
        return database;
    }

    /// <summary>A cell for a system left out with --systems.</summary>
    public static Cell NotSelected => Cell.Missing("not run (--systems)");

    /// <summary>Drops the PostgreSQL schemas and databases and deletes the SQLite files this pass made.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var database in _quartzDatabases)
            await database.DropAsync();
        foreach (var database in _hangfireDatabases)
            await database.DropAsync();
        foreach (var database in _ourDatabases)
            await workspace.DropAsync(database);
        workspace.Delete();
    }
}
