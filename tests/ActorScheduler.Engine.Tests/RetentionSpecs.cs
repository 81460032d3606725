using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Runners;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// Retention in a whole engine, on each database: the background passes trim each job's runs as its own retention or
/// the node's says, remove jobs that ended long enough ago (done and canceled; failed ones only when asked) with their
/// journal and rows, and delete journal events a snapshot covers once old — and the job still recovers as it was.
/// </summary>
public abstract class RetentionSpecs(TestDatabase? postgres) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "as-retention-" + Guid.NewGuid().ToString("N"));

    private string? PostgresConnection => postgres?.Config.GetString("actor-scheduler.database.postgres-connection");

    /// <summary>An engine whose retention passes come every second, with <paramref name="retention"/> on top.</summary>
    private Task<EngineFixture> Start(string retention = "") => EngineFixture.StartAsync(new FailingWhenAsked(), _directory, $"""
        actor-scheduler.retention {"{"} interval = 1s, step-pause = 10ms, page-size = 2 {"}"}
        {retention}
        {(PostgresConnection is { } connection ? $"actor-scheduler.database.provider = postgres\nactor-scheduler.database.postgres-connection = \"{connection}\"" : "")}
        """);

    private static JobDefinition Job(string json) => CoreJson.Deserialize<JobDefinition>(json);

    private static JobDefinition OnDemand(string id, string extra = "") =>
        Job($$"""{ "id": "{{id}}", "overlap": "allow", "run": { "handler": { "name": "noop" } } {{extra}} }""");

    /// <summary>Runs once, a moment after it is defined, and is then done (or failed, for a job whose id says so).</summary>
    private static JobDefinition OneOff(string id, string extra = "") =>
        Job($$"""{ "id": "{{id}}", "schedule": { "after": "PT0.1S" }, "run": { "handler": { "name": "noop" } } {{extra}} }""");

    [Fact]
    public async Task Should_keep_only_the_newest_finished_runs_a_job_asks_for_and_the_node_default_for_the_others()
    {
        await using var engine = await Start();
        var (trimmed, kept) = (JobId.Parse("trimmed"), JobId.Parse("kept"));
        await Define(engine, OnDemand(kept.Value));
        await Define(engine, OnDemand(trimmed.Value, """, "retention": { "runs": { "keepLast": 3 } }"""));
        await RunTimes(engine, kept, 5);
        await RunTimes(engine, trimmed, 8);

        var left = await EngineFixture.Eventually(() => engine.Jobs.ListRuns(Of(trimmed))!, page => page.Items.Count == 3, "the newest 3 runs left");

        Assert.Equal(["trimmed~8", "trimmed~7", "trimmed~6"], left.Items.Select(run => run.RunId));
        Assert.Equal(5, (await engine.Jobs.ListRuns(Of(kept))).Items.Count);
        Assert.Equal(8, (await engine.Jobs.Get(trimmed)).Expect<JobFound>().View.RunCount); // the job's own count is history
    }

    [Fact]
    public async Task Should_remove_jobs_that_ended_long_enough_ago_keep_failed_ones_and_let_an_id_be_used_again()
    {
        await using var engine = await Start("actor-scheduler.retention { done-jobs-after = 1s, canceled-jobs-after = 1s }");
        var (done, failed, failedButAsked, canceled, recurring) =
            (JobId.Parse("done"), JobId.Parse("fail-kept"), JobId.Parse("fail-asked"), JobId.Parse("canceled"), JobId.Parse("recurring"));
        await Define(engine, OneOff(done.Value));
        await Define(engine, OneOff(failed.Value));
        await Define(engine, OneOff(failedButAsked.Value, """, "retention": { "removeAfter": "PT1S" }"""));
        await Define(engine, Job("""{ "id": "canceled", "schedule": { "cron": "0 0 3 * * *" }, "run": { "handler": { "name": "noop" } } }"""));
        await Define(engine, Job("""{ "id": "recurring", "schedule": { "cron": "0 0 3 * * *" }, "run": { "handler": { "name": "noop" } } }"""));
        (await engine.Jobs.Send(canceled, new CancelJob("no longer needed"))).Expect<JobAccepted>();

        foreach (var gone in new[] { done, failedButAsked, canceled })
            await EngineFixture.Eventually(async () => await engine.Jobs.Get(gone), reply => reply is JobRefused { Kind: RejectionKind.NotFound }, $"{gone} removed");

        Assert.Equal(JobStatus.Error, (await engine.Jobs.Get(failed)).Expect<JobFound>().View.Status);
        Assert.Equal(JobStatus.Scheduled, (await engine.Jobs.Get(recurring)).Expect<JobFound>().View.Status);
        foreach (var gone in new[] { done, failedButAsked, canceled })
            Assert.Equal([1L, 0, 0, 0, 0], RowsOf(gone)); // the journal keeps the removal mark alone
        Assert.DoesNotContain((await engine.Jobs.List(new JobListQuery(null, null, null, 10, null))).Items, view => view.Id == "done");

        var again = (await engine.Jobs.Define(done, OnDemand(done.Value), createOnly: true)).Expect<JobAccepted>();
        Assert.True(again.Created);
        var rerun = (await engine.Jobs.Send(done, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>().NewRun!.Value;
        var finished = await EngineFixture.Eventually(async () => (await engine.Jobs.RunDetail(rerun)).Expect<RunFound>().Run,
            found => found.Status == RunStatus.Succeeded, $"run {rerun} of the job created again to succeed");
        // Numbered on from the removed job's runs and fencing tokens: no worker can take it for the old run 1.
        Assert.Equal(("done~2", 2L), (finished.RunId, finished.FencingToken));
        Assert.Equal(1, (await engine.Jobs.Get(done)).Expect<JobFound>().View.RunCount);
        Assert.IsType<JobRefused>(await engine.Jobs.Define(done, OnDemand(done.Value), createOnly: true));
    }

    [Fact]
    public async Task Should_delete_old_journal_events_a_snapshot_covers_and_recover_the_job_as_it_was()
    {
        var id = JobId.Parse("long-lived");
        const string retention = """
            actor-scheduler.scheduler.snapshot-every = 5
            actor-scheduler.retention.journal-max-age = 1s
            """;
        JobView before;
        await using (var engine = await Start(retention))
        {
            await Define(engine, OnDemand(id.Value));
            await RunTimes(engine, id, 6);
            before = (await engine.Jobs.Get(id)).Expect<JobFound>().View;
            await EngineFixture.Eventually(() => Task.FromResult<object?>(Scalar($"SELECT MIN(sequence_number) FROM journal WHERE persistence_id = 'job-{id}'")),
                first => Convert.ToInt64(first) > 1, "the oldest journal events deleted");
            Assert.Equal(0L, Convert.ToInt64(Scalar($"""
                SELECT COUNT(*) FROM journal WHERE persistence_id = 'job-{id}'
                  AND sequence_number >= (SELECT MAX(sequence_number) FROM snapshot WHERE persistence_id = 'job-{id}')
                  AND sequence_number < (SELECT MIN(sequence_number) FROM journal WHERE persistence_id = 'job-{id}')
                """)));
        }

        await using var restarted = await Start(retention);
        var after = (await restarted.Jobs.Get(id)).Expect<JobFound>().View;
        Assert.Equal((before.RunCount, before.Status), (after.RunCount, after.Status));
        Assert.True(after.Version >= before.Version, $"version {after.Version} after recovery, {before.Version} before");
        var history = (await restarted.Jobs.History(id, from: 1, limit: 1000))!;
        Assert.True(history.Items[0].Seq > 1, $"history starts at {history.Items[0].Seq}");
        await RunTimes(restarted, id, 1);
        Assert.Equal(before.RunCount + 1, (await restarted.Jobs.Get(id)).Expect<JobFound>().View.RunCount);
    }

    private static async Task Define(EngineFixture engine, JobDefinition definition) =>
        (await engine.Jobs.Define(JobId.Parse(definition.Id!), definition, createOnly: true)).Expect<JobAccepted>();

    /// <summary>Triggers the job <paramref name="times"/> times, one run after the other finished.</summary>
    private static async Task RunTimes(EngineFixture engine, JobId id, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var run = (await engine.Jobs.Send(id, new TriggerJob(RunTrigger.Manual, null, "spec"))).Expect<JobAccepted>().NewRun!.Value;
            await EngineFixture.Eventually(async () => (await engine.Jobs.RunDetail(run)).Expect<RunFound>().Run,
                found => found.Status.IsFinished(), $"run {run} to finish");
        }
    }

    private static RunListQuery Of(JobId job) => new(job, null, null, null, null, null, JobService.MaxPageSize, null);

    /// <summary>The job's rows: journal, snapshots, index, triggers, runs.</summary>
    private long[] RowsOf(JobId job) =>
    [
        Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = 'job-{job}'")),
        Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM snapshot WHERE persistence_id = 'job-{job}'")),
        Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM job_index WHERE job_id = '{job}'")),
        Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM job_triggers WHERE job_id = '{job}'")),
        Convert.ToInt64(Scalar($"SELECT COUNT(*) FROM runs WHERE job_id = '{job}'")),
    ];

    private object? Scalar(string sql) => new EngineDatabaseProbe(_directory, PostgresConnection).Scalar(sql);

    public void Dispose()
    {
        postgres?.Dispose();
        new EngineDatabaseProbe(_directory, PostgresConnection).DeleteDirectory();
    }

    /// <summary>Succeeds, except for jobs whose id starts with "fail".</summary>
    private sealed class FailingWhenAsked : IRunner
    {
        public bool CanRun(RunSpec spec) => true;

        public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel) =>
            Task.FromResult(request.JobId.Value.StartsWith("fail")
                ? new RunResult(RunStatus.Failed, 1, $"failed {request.RunId}", "asked to fail")
                : new RunResult(RunStatus.Succeeded, 0, $"ran {request.RunId}", null));
    }
}

public sealed class RetentionOnSqliteSpecs() : RetentionSpecs(null);

public sealed class RetentionOnPostgresSpecs() : RetentionSpecs(TestDatabase.Postgres());
