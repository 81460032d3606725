using System.Net;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ActorScheduler.Gateway.Tests;

/// <summary>
/// The gateway over an engine whose worker forgets a run's live output as soon as the run ends, so that a finished
/// run's output can only come from the runs read model.
/// </summary>
public sealed class RunQueryFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "as-run-query-" + Guid.NewGuid().ToString("N"));

    public EngineHost Engine { get; private set; } = null!;
    public GatewayServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var overrides = ConfigurationFactory.ParseString($$"""
            actor-scheduler.data-directory = "{{_directory.Replace("\\", "/")}}"
            actor-scheduler.worker.name = "test-worker"
            actor-scheduler.worker.live-output.keep-finished-runs = 0
            actor-scheduler.scheduler.wake.poll-interval = 1s
            akka.loglevel = WARNING
            """);
        Engine = await EngineHost.StartAsync(EngineConfig.Load(overrides), new TestRunner());
        Server = await GatewayServer.StartAsync(Engine.Jobs, Engine.Settings.Gateway with { Host = "127.0.0.1", Port = 0, Token = null });
        Api = new Api(new HttpClient { BaseAddress = Server.Url });
    }

    /// <summary>The job's row in the job index, as the job list reads it.</summary>
    public string IndexView(string jobId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "scheduler.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT view FROM job_index WHERE job_id = @id";
        command.Parameters.AddWithValue("@id", jobId);
        return (string)command.ExecuteScalar()!;
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection only leaves a stray temp directory behind.
        }
    }
}

/// <summary>
/// The run history over a real socket: <c>GET /api/v1/runs</c> across jobs and <c>GET /api/v1/jobs/{id}/runs</c>, newest
/// first a page at a time, filtered; a finished run's output read from the runs read model, and no output in job rows.
/// </summary>
public sealed class RunQuerySpecs(RunQueryFixture fixture) : IClassFixture<RunQueryFixture>
{
    private Api Api => fixture.Api;

    /// <summary>A job that runs as often as it is triggered, by the test runner's <paramref name="handler"/>.</summary>
    private async Task<string> JobWithRuns(string prefix, int runs, string handler = "noop")
    {
        var id = Api.NewId(prefix);
        await Api.CreateJob(id, """ "overlap": "allow" """, handler);
        for (var i = 0; i < runs; i++)
            await Api.Expect<TriggerAccepted>(await Api.Post($"/api/v1/jobs/{id}/trigger"), HttpStatusCode.Accepted);
        await Api.Eventually(() => List($"/api/v1/runs?jobId={id}&limit=500"),
            list => list.Items.Count == runs && list.Items.All(run => run.Status.IsFinished()), $"{runs} finished runs of {id}");
        return id;
    }

    private async Task<RunList> List(string path) => await Api.Expect<RunList>(await Api.Get(path), HttpStatusCode.OK);

    /// <summary>Every page from <paramref name="path"/> on, following each page's next, as the runs read.</summary>
    private async Task<List<RunView>> Pages(string path)
    {
        var runs = new List<RunView>();
        var separator = path.Contains('?') ? '&' : '?';
        for (var page = await List(path); ; page = await List($"{path}{separator}after={Uri.EscapeDataString(page.Next)}"))
        {
            runs.AddRange(page.Items);
            if (page.Next is null)
                return runs;
            Assert.True(runs.Count < 10_000, "paging does not end");
        }
    }

    private static IEnumerable<RunView> NewestFirst(IEnumerable<RunView> runs) => runs
        .OrderByDescending(run => run.ScheduledFor).ThenByDescending(run => run.JobId, StringComparer.Ordinal)
        .ThenByDescending(run => RunId.TryParse(run.RunId, out var id) ? id.Sequence : 0);

    private static string Time(DateTimeOffset time) => Uri.EscapeDataString(CoreJson.Serialize(time).Trim('"'));

    [Fact]
    public async Task Should_page_through_the_runs_of_every_job_newest_first_without_gaps_or_repeats()
    {
        var jobs = new[] { await JobWithRuns("page-a", 9), await JobWithRuns("page-b", 7, "fail"), await JobWithRuns("page-c", 8) };
        var ours = new List<RunView>();
        foreach (var job in jobs)
            ours.AddRange((await List($"/api/v1/runs?jobId={job}&limit=500")).Items);

        var paged = await Pages("/api/v1/runs?limit=4");

        Assert.Equal(paged.Count, paged.Select(run => run.RunId).Distinct().Count());
        Assert.Equal(NewestFirst(ours).Select(run => run.RunId), paged.Where(run => jobs.Contains(run.JobId)).Select(run => run.RunId));
        Assert.Equal(NewestFirst(paged).Select(run => run.RunId), paged.Select(run => run.RunId));
    }

    [Fact]
    public async Task Should_filter_the_runs_by_status_job_worker_trigger_and_scheduled_time()
    {
        var passing = await JobWithRuns("filter-ok", 6);
        var failing = await JobWithRuns("filter-fail", 4, "fail");
        var all = NewestFirst((await List($"/api/v1/runs?jobId={passing}&limit=500")).Items).ToList();
        var (newer, older) = (all[1].ScheduledFor, all[4].ScheduledFor);

        var failed = await Pages($"/api/v1/runs?status=failed&jobId={failing}&limit=3");
        var succeeded = await Pages($"/api/v1/runs?status=succeeded&jobId={failing}");
        var manual = await Pages($"/api/v1/runs?trigger=manual&jobId={passing}&limit=2");
        var onWorker = await Pages($"/api/v1/runs?worker=test-worker&jobId={passing}");
        var elsewhere = await Pages($"/api/v1/runs?worker=nobody&jobId={passing}");
        var window = await Pages($"/api/v1/runs?jobId={passing}&from={Time(older)}&to={Time(newer)}&limit=1");
        var failedAnywhere = await Pages("/api/v1/runs?status=failed&limit=5");

        Assert.Equal(4, failed.Count);
        Assert.All(failed, run => Assert.Equal((failing, RunStatus.Failed), (run.JobId, run.Status)));
        Assert.Empty(succeeded);
        Assert.Equal(all.Select(run => run.RunId), manual.Select(run => run.RunId));
        Assert.Equal(all.Select(run => run.RunId), onWorker.Select(run => run.RunId));
        Assert.Empty(elsewhere);
        Assert.Equal(all.Where(run => run.ScheduledFor >= older && run.ScheduledFor < newer).Select(run => run.RunId), window.Select(run => run.RunId));
        Assert.Equal(3, window.Count);
        Assert.All(failedAnywhere, run => Assert.Equal(RunStatus.Failed, run.Status));
        Assert.Subset(failedAnywhere.Select(run => run.RunId).ToHashSet(), failed.Select(run => run.RunId).ToHashSet());
    }

    [Fact]
    public async Task Should_page_through_a_jobs_whole_history_beyond_the_runs_it_keeps()
    {
        var count = JobState.RecentRunLimit + 5;
        var id = await JobWithRuns("history", count);

        var paged = await Pages($"/api/v1/jobs/{id}/runs?limit=20");
        var light = await List($"/api/v1/jobs/{id}/runs?limit=500&output=false");

        Assert.Equal(count, paged.Select(run => run.RunId).Distinct().Count());
        Assert.Equal(NewestFirst(paged).Select(run => run.RunId), paged.Select(run => run.RunId));
        Assert.Equal($"{id}~1", paged[^1].RunId);
        Assert.All(paged, run => Assert.Equal($"ran {run.RunId}", run.Output));
        Assert.All(light.Items, run => Assert.Null(run.Output));
        var oldest = await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{id}~1"), HttpStatusCode.OK);
        Assert.Equal((RunStatus.Succeeded, $"ran {id}~1"), (oldest.Status, oldest.Output));
    }

    [Fact]
    public async Task Should_read_a_finished_runs_output_from_the_runs_table_and_keep_it_out_of_the_jobs_rows()
    {
        var id = await JobWithRuns("output", 1);
        var runId = $"{id}~1";

        var first = await Api.Get($"/api/v1/runs/{runId}/output");
        var text = await first.Content.ReadAsStringAsync();
        var next = first.Headers.GetValues("Output-Next").Single();
        var again = await Api.Get($"/api/v1/runs/{runId}/output?from={next}");
        var run = await Api.Expect<RunView>(await Api.Get($"/api/v1/runs/{runId}"), HttpStatusCode.OK);
        var job = await Api.GetJob(id);
        var listed = (await Api.Expect<JobList>(await Api.Get($"/api/v1/jobs?q={id}"), HttpStatusCode.OK)).Items.Single();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal($"ran {runId}", text);
        Assert.Equal("false", first.Headers.GetValues("Output-Running").Single());
        Assert.Equal("", await again.Content.ReadAsStringAsync());
        Assert.Equal($"ran {runId}", run.Output);
        Assert.Equal((runId, (string?)null), (job.LastRun!.RunId, job.LastRun.Output));
        Assert.Equal((runId, (string?)null), (listed.LastRun!.RunId, listed.LastRun.Output));
        Assert.DoesNotContain("ran ", fixture.IndexView(id));
    }

    [Fact]
    public async Task Should_answer_404_for_the_runs_of_an_unknown_job_and_an_empty_page_when_filtering_on_one()
    {
        var unknown = Api.NewId("unknown");

        await Api.ExpectProblem(await Api.Get($"/api/v1/jobs/{unknown}/runs"), HttpStatusCode.NotFound, unknown);
        var filtered = await List($"/api/v1/runs?jobId={unknown}");

        Assert.Empty(filtered.Items);
        Assert.Null(filtered.Next);
    }

    [Theory]
    [InlineData("/api/v1/runs?status=sleeping", "status")]
    [InlineData("/api/v1/runs?trigger=cron", "trigger")]
    [InlineData("/api/v1/runs?jobId=bad%20id", "jobId")]
    [InlineData("/api/v1/runs?limit=0", "limit")]
    [InlineData("/api/v1/runs?limit=501", "limit")]
    [InlineData("/api/v1/runs?from=yesterday", "from")]
    [InlineData("/api/v1/runs?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/api/v1/runs?after=page-two", "after")]
    [InlineData("/api/v1/runs?output=maybe", "output")]
    [InlineData("/api/v1/runs?worker=%20", "worker")]
    [InlineData("/api/v1/jobs/some-job/runs?after=638000000000000000.other-job~3", "after")]
    public async Task Should_refuse_a_bad_query_naming_the_parameter(string path, string parameter)
    {
        await Api.ExpectProblem(await Api.Get(path), HttpStatusCode.BadRequest, parameter);
    }
}
