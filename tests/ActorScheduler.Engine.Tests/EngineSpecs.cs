using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Tests;

public sealed class EngineSpecs
{
    private static JobDefinition EverySecond(string id) => CoreJson.Deserialize<JobDefinition>($$"""
        { "id": "{{id}}", "schedule": { "every": { "seconds": 1 } }, "run": { "handler": { "name": "noop" } } }
        """);

    [Fact]
    public async Task Should_run_a_recurring_job_on_its_schedule_and_record_each_run()
    {
        var runner = new CountingRunner();
        await using var engine = await EngineFixture.StartAsync(runner);
        var id = JobId.Parse("tick");

        var created = await engine.Jobs.Define(id, EverySecond("tick"), createOnly: true);
        created.Expect<JobAccepted>();

        var runs = await EngineFixture.Eventually(async () => (await engine.Jobs.Runs(id)).Expect<RunsListed>().Runs,
            r => r.Count(x => x.Status == RunStatus.Succeeded) >= 3, "three succeeded runs");
        Assert.All(runs.Where(r => r.Status == RunStatus.Succeeded), r => Assert.Equal("test-worker", r.Worker));
        Assert.Contains((await engine.Jobs.Get(id)).Expect<JobFound>().View.Status, new[] { JobStatus.Scheduled, JobStatus.Running });
    }

    [Fact]
    public async Task Should_list_created_jobs_from_the_index()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        foreach (var name in new[] { "a", "b", "c" })
            (await engine.Jobs.Define(JobId.Parse(name), EverySecond(name) with { Tags = [name == "b" ? "odd" : "even"] }, true)).Expect<JobAccepted>();

        var page = await EngineFixture.Eventually(() => engine.Jobs.List(new JobListQuery(null, null, null, 2, null))!,
            p => p.Items.Count == 2, "a first page of two");
        var rest = await engine.Jobs.List(new JobListQuery(null, null, null, 2, JobId.Parse(page.Next!)));
        var tagged = await engine.Jobs.List(new JobListQuery(null, null, "odd", 10, null));

        Assert.Equal(["a", "b"], page.Items.Select(v => v.Id));
        Assert.Equal(["c"], rest.Items.Select(v => v.Id));
        Assert.Null(rest.Next);
        Assert.Equal(["b"], tagged.Items.Select(v => v.Id));
    }

    [Fact]
    public async Task Should_rebuild_a_lost_index_row_from_the_journal_after_an_unclean_stop()
    {
        var directory = Path.Combine(Path.GetTempPath(), "as-repair-" + Guid.NewGuid().ToString("N"));
        await using (var first = await EngineFixture.StartAsync(new CountingRunner(), directory))
        {
            (await first.Jobs.Define(JobId.Parse("kept"), EverySecond("kept") with { Schedule = new ScheduleSpec { Cron = "0 0 3 * * *" } }, true)).Expect<JobAccepted>();
        }
        // What a crash inside the writer's flush interval leaves: the job in the journal, no index row, no clean-stop mark.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "scheduler.db")};Pooling=False"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM job_index WHERE job_id = 'kept'";
            Assert.Equal(1, delete.ExecuteNonQuery());
        }
        Assert.True(File.Exists(Path.Combine(directory, "clean-stop")), "a clean stop flushes the index and leaves its mark");
        File.Delete(Path.Combine(directory, "clean-stop"));

        await using var second = await EngineFixture.StartAsync(new CountingRunner(), directory);

        var page = await EngineFixture.Eventually(() => second.Jobs.List(new JobListQuery(null, null, null, 10, null))!,
            p => p.Items.Any(v => v.Id == "kept"), "the job back in the index");
        Assert.NotNull(page.Items.Single(v => v.Id == "kept").NextDueAt);
    }

    [Fact]
    public async Task Should_create_a_job_once_when_the_same_id_is_posted_many_times_at_once()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        var id = JobId.Parse("once");

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => engine.Jobs.Define(id, EverySecond("once"), createOnly: true)));

        Assert.Single(replies, r => r is JobAccepted { Created: true });
        Assert.All(replies.Where(r => r is not JobAccepted), r => Assert.Equal(RejectionKind.Conflict, Assert.IsType<JobRefused>(r).Kind));
        var history = await engine.Jobs.History(id);
        Assert.Single(history!, h => h.Type == "job-defined");
        await EngineFixture.Eventually(async () => (await engine.Jobs.Runs(id)).Expect<RunsListed>().Runs,
            runs => runs.Any(r => r.Status == RunStatus.Succeeded), "the created job to run from its journal");
    }

    [Fact]
    public async Task Should_match_tags_literally_when_they_contain_sql_wildcards()
    {
        await using var engine = await EngineFixture.StartAsync(new CountingRunner());
        (await engine.Jobs.Define(JobId.Parse("sale"), EverySecond("sale") with { Tags = ["50%_off"] }, true)).Expect<JobAccepted>();
        await EngineFixture.Eventually(() => engine.Jobs.List(new JobListQuery(null, null, "50%_off", 10, null))!,
            p => p.Items.Count == 1, "the job under its literal tag");

        var wildcard = await engine.Jobs.List(new JobListQuery(null, null, "5%", 10, null));
        var underscore = await engine.Jobs.List(new JobListQuery(null, null, "50%_of_", 10, null));

        Assert.Empty(wildcard.Items);
        Assert.Empty(underscore.Items);
    }
}
