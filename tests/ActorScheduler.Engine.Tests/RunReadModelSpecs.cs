using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The runs read model in a whole engine, on each database: written by the index writer as runs go, read through
/// <see cref="JobService"/>, holding the runs their jobs no longer keep, and rebuilt from the journal after an unclean
/// stop lost the writer's last batch.
/// </summary>
public abstract class RunReadModelSpecs(TestDatabase? postgres) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "as-runs-" + Guid.NewGuid().ToString("N"));

    private string? PostgresConnection => postgres?.Config.GetString("actor-scheduler.database.postgres-connection");

    private Task<EngineFixture> Start() => EngineFixture.StartAsync(new CountingRunner(), _directory, PostgresConnection is { } connection
        ? $"""
          actor-scheduler.database.provider = postgres
          actor-scheduler.database.postgres-connection = "{connection}"
          """
        : "");

    private static JobDefinition OnDemand(string id) => CoreJson.Deserialize<JobDefinition>($$"""
        { "id": "{{id}}", "overlap": "allow", "run": { "handler": { "name": "noop" } } }
        """);

    private static RunListQuery Of(JobId job, int limit = JobService.MaxPageSize) => new(job, null, null, null, null, null, limit, null);

    [Fact]
    public async Task Should_page_through_every_run_of_a_job_and_find_each_with_its_output_beyond_those_the_job_keeps()
    {
        await using var engine = await Start();
        var id = JobId.Parse("many");
        (await engine.Jobs.Define(id, OnDemand(id.Value), createOnly: true)).Expect<JobAccepted>();
        var count = JobState.RecentRunLimit + 5;
        for (var i = 0; i < count; i++)
            (await engine.Jobs.Send(id, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>();

        var all = await EngineFixture.Eventually(() => engine.Jobs.ListRuns(Of(id))!,
            page => page.Items.Count(run => run.Status == RunStatus.Succeeded) == count, $"{count} succeeded runs in the runs read model");
        var paged = new List<RunView>();
        for (var page = await engine.Jobs.ListRuns(Of(id, limit: 10)); ; )
        {
            paged.AddRange(page.Items);
            if (page.Next is null)
                break;
            Assert.True(RunCursor.TryParse(page.Next, out var next), page.Next);
            page = await engine.Jobs.ListRuns(Of(id, limit: 10) with { After = next });
        }

        Assert.Equal(all.Items.Select(run => run.RunId), paged.Select(run => run.RunId));
        Assert.Equal(count, paged.Select(run => run.RunId).Distinct().Count());
        Assert.All(paged, run => Assert.Equal($"ran {run.RunId}", run.Output));
        var oldest = new RunId(id, 1);
        Assert.IsType<JobRefused>(await engine.Jobs.Run(oldest)); // older than the runs the job keeps in memory
        Assert.Equal($"ran {oldest}", (await engine.Jobs.RunDetail(oldest)).Expect<RunFound>().Run.Output);
        var kept = (await engine.Jobs.Runs(id)).Expect<RunsListed>().Runs;
        Assert.Equal(JobState.RecentRunLimit, kept.Count);
        Assert.All(kept, run => Assert.Equal($"ran {run.RunId}", run.Output));
    }

    [Fact]
    public async Task Should_rebuild_from_the_journal_the_run_rows_an_unclean_stop_lost()
    {
        var id = JobId.Parse("rebuilt");
        IReadOnlyList<string> before;
        long lostFrom;
        await using (var first = await Start())
        {
            before = await RunThreeTimes(first.Jobs, id);
            var history = (await first.Jobs.History(id))!;
            lostFrom = history.Single(e => e.Type == "run-dispatched" && e.Data?.GetProperty("runId").GetString() == $"{id}~2").Seq;
        }

        // What a crash inside the writer's flush interval leaves: the index as it was at the second run's dispatch (the
        // job row at that version, the second run's row still pending, no row for the third), and no clean-stop mark.
        Assert.Equal([1, 1, 1], Execute($"UPDATE job_index SET version = {lostFrom} WHERE job_id = '{id}'",
            $"UPDATE runs SET status = 'pending', started_at = NULL, finished_at = NULL, worker = NULL, exit_code = NULL, output = NULL, version = {lostFrom} WHERE run_id = '{id}~2'",
            $"DELETE FROM runs WHERE run_id = '{id}~3'"));
        File.Delete(Path.Combine(_directory, "clean-stop"));
        await using var second = await Start();

        var rebuilt = await EngineFixture.Eventually(() => second.Jobs.ListRuns(Of(id))!,
            page => page.Items.Count == 3 && page.Items.All(run => run.Status == RunStatus.Succeeded), "the lost run rows rebuilt");
        Assert.Equal(before, rebuilt.Items.Select(CoreJson.Serialize));
    }

    [Fact]
    public async Task Should_fill_in_the_runs_of_jobs_that_ran_before_the_runs_read_model_existed()
    {
        var id = JobId.Parse("older");
        IReadOnlyList<string> before;
        await using (var first = await Start())
            before = await RunThreeTimes(first.Jobs, id);

        // A database of the version before the runs read model: every run is in the journal, none in a table.
        Execute("DROP TABLE runs", "DROP TABLE runs_backfill");
        await using var second = await Start();

        var filled = await EngineFixture.Eventually(() => second.Jobs.ListRuns(Of(id))!,
            page => page.Items.Count == 3, "the runs filled in from the journal");
        Assert.Equal(before, filled.Items.Select(CoreJson.Serialize));
        await EngineFixture.Eventually(() => Task.FromResult<object?>(Count("SELECT COUNT(*) FROM runs_backfill")),
            count => Convert.ToInt64(count) == 0, "the backfill queue to empty");
    }

    /// <summary>Defines the job and runs it three times, one run after the other; answers its runs as listed, as JSON.</summary>
    private static async Task<IReadOnlyList<string>> RunThreeTimes(JobService jobs, JobId id)
    {
        (await jobs.Define(id, OnDemand(id.Value), createOnly: true)).Expect<JobAccepted>();
        for (var i = 0; i < 3; i++)
        {
            var run = (await jobs.Send(id, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>().NewRun!.Value;
            await EngineFixture.Eventually(async () => (await jobs.RunDetail(run)).Expect<RunFound>().Run,
                found => found.Status == RunStatus.Succeeded, $"run {run} to succeed");
        }
        return (await jobs.ListRuns(Of(id))).Items.Select(CoreJson.Serialize).ToList();
    }

    private EngineDatabaseProbe Database => new(_directory, PostgresConnection);

    private IReadOnlyList<int> Execute(params string[] statements) => Database.Execute(statements);

    private object? Count(string sql) => Database.Scalar(sql);

    public void Dispose()
    {
        postgres?.Dispose();
        Database.DeleteDirectory();
    }
}

public sealed class RunReadModelOnSqliteSpecs() : RunReadModelSpecs(null);

public sealed class RunReadModelOnPostgresSpecs() : RunReadModelSpecs(TestDatabase.Postgres());
