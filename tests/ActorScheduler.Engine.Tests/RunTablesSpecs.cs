using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using static ActorScheduler.Engine.Tests.JobSteps;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The runs read model's SQL (<see cref="RunTables"/>, written through <see cref="IndexTables"/> as the index writer
/// writes it) on each database the engine supports: rows read back as the job holds its runs, newer rows win, and
/// pages of the history, filtered or not, hold every run once, newest first.
/// </summary>
public abstract class RunTablesSpecs : IDisposable
{
    private readonly TestDatabase _database;
    private readonly IndexTables _index;

    protected RunTablesSpecs(TestDatabase database)
    {
        _database = database;
        _index = new IndexTables(database.Open);
        _index.EnsureSchema();
    }

    private RunTables Runs => _index.Runs;

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Should_read_back_exactly_the_runs_the_job_holds_with_the_output_their_finish_recorded()
    {
        var data = JsonDocument.Parse("""{"customer":1234}""").RootElement;
        var triggered = Define(OnDemandWithRetry).Then(new TriggerJob(RunTrigger.Manual, data, "spec"), T0);
        var run = triggered.Run();
        var started = triggered.Then(new ReportRunStarted(run.RunId, run.FencingToken, "w1"), T0.AddTicks(12_345));
        var progressed = started.Then(new ReportRunProgress(run.RunId, run.FencingToken, 3, 7), T0.AddSeconds(1));
        var failed = progressed.Then(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Failed, 2, "out\nerr", "boom"), T0.AddSeconds(2));
        var retried = failed.Then(new WakeUp(failed.After.Generation), T0.AddSeconds(3));

        foreach (var step in new[] { triggered, started, progressed, failed, retried })
            _index.Upsert([step.Effects.IndexRow]);

        var state = retried.After;
        var expected = new[] { RunView.From(Id, state.InFlight[0]), RunView.From(Id, state.Recent[0], "out\nerr") };
        Assert.Equal(expected.Select(CoreJson.Serialize), Runs.List(Query(limit: 10)).Select(CoreJson.Serialize));
        Assert.Equal(CoreJson.Serialize(expected[1]), CoreJson.Serialize(Runs.Find(run.RunId)));
        Assert.Equal(new StoredOutput(RunStatus.Failed, "out\nerr"), Runs.Outputs([run.RunId, new RunId(Id, 99)]).Single().Value);
    }

    [Fact]
    public void Should_keep_the_newer_row_and_a_recorded_output_when_rows_arrive_out_of_order()
    {
        var finished = Run("alpha", 1, T0, RunStatus.Succeeded);
        var pending = finished with { Status = RunStatus.Pending, FinishedAt = null };

        Runs.Upsert([new RunRow(finished.RunId.Job, finished, "recorded", Version: 5)]);
        Runs.Upsert([new RunRow(pending.RunId.Job, pending, null, Version: 3)]);
        Runs.Upsert([new RunRow(finished.RunId.Job, finished with { Error = "later" }, null, Version: 6)]);

        var stored = Assert.Single(Runs.List(Query(limit: 10)));
        Assert.Equal((RunStatus.Succeeded, "later", "recorded"), (stored.Status, stored.Error, stored.Output));
    }

    [Fact]
    public void Should_apply_rows_of_one_run_in_order_when_they_share_a_batch()
    {
        var finished = Run("alpha", 1, T0, RunStatus.Succeeded);
        var pending = finished with { Status = RunStatus.Pending, FinishedAt = null };
        var other = Run("beta", 1, T0, RunStatus.Failed);

        // One statement over arrays cannot update a row twice: the rows of one run must still apply one after another.
        Runs.Upsert([
            new RunRow(finished.RunId.Job, finished, "recorded", Version: 5),
            new RunRow(other.RunId.Job, other, "other", Version: 2),
            new RunRow(pending.RunId.Job, pending, null, Version: 3),
            new RunRow(finished.RunId.Job, finished with { Error = "later" }, null, Version: 6),
        ]);

        var stored = Runs.List(Query(limit: 10)).ToDictionary(run => run.JobId);
        Assert.Equal((RunStatus.Succeeded, "later", "recorded"), (stored["alpha"].Status, stored["alpha"].Error, stored["alpha"].Output));
        Assert.Equal((RunStatus.Failed, "other"), (stored["beta"].Status, stored["beta"].Output));
    }

    [Fact]
    public void Should_page_through_every_run_once_newest_first_whatever_the_filter()
    {
        var all = ManyRuns();
        Runs.Upsert(all.Select(run => new RunRow(run.RunId.Job, run, $"output of {run.RunId}", 1)).ToList());
        var newestFirst = all
            .OrderByDescending(run => run.ScheduledFor).ThenByDescending(run => run.RunId.Job.Value, StringComparer.Ordinal)
            .ThenByDescending(run => run.RunId.Sequence)
            .Select(run => run.RunId.ToString())
            .ToList();
        var bravo = JobId.Parse("bravo");

        Assert.Equal(newestFirst, Paged(Query(limit: 7)));
        Assert.Equal(Expected(newestFirst, all, run => run.RunId.Job == bravo), Paged(Query(limit: 4) with { Job = bravo }));
        Assert.Equal(Expected(newestFirst, all, run => run.Status == RunStatus.Failed), Paged(Query(limit: 3) with { Status = RunStatus.Failed }));
        Assert.Equal(Expected(newestFirst, all, run => run.Worker == "w2"), Paged(Query(limit: 5) with { Worker = "w2" }));
        Assert.Equal(Expected(newestFirst, all, run => run.Trigger == RunTrigger.Retry), Paged(Query(limit: 2) with { Trigger = RunTrigger.Retry }));
        Assert.Equal(Expected(newestFirst, all, run => run.ScheduledFor >= T0.AddMinutes(3) && run.ScheduledFor < T0.AddMinutes(7)),
            Paged(Query(limit: 6) with { From = T0.AddMinutes(3), To = T0.AddMinutes(7) }));
        Assert.Equal(Expected(newestFirst, all, run => run.RunId.Job == bravo && run.Status == RunStatus.Failed && run.Worker == "w2"),
            Paged(Query(limit: 1) with { Job = bravo, Status = RunStatus.Failed, Worker = "w2" }));
    }

    [Fact]
    public void Should_leave_the_outputs_out_when_the_page_is_asked_without_them()
    {
        var run = Run("alpha", 1, T0, RunStatus.Succeeded);
        Runs.Upsert([new RunRow(run.RunId.Job, run, "a long output", 1)]);

        Assert.Null(Assert.Single(Runs.List(Query(limit: 10) with { WithOutput = false })).Output);
        Assert.Equal("a long output", Assert.Single(Runs.List(Query(limit: 10))).Output);
    }

    [Fact]
    public void Should_store_an_output_holding_nul_and_broken_text_with_replacement_characters()
    {
        var run = Run("alpha", 1, T0, RunStatus.Failed) with { Error = "bad\0byte" };
        Runs.Upsert([new RunRow(run.RunId.Job, run, "a\0b \ud800 c 🙂", 1)]);

        var stored = Assert.Single(Runs.List(Query(limit: 10)));

        Assert.Equal(("a\ufffdb \ufffd c 🙂", "bad\ufffdbyte"), (stored.Output, stored.Error));
    }

    [Fact]
    public void Should_name_the_runs_each_job_has_in_flight_by_their_rows()
    {
        var running = Run("alpha", 2, T0, RunStatus.Running);
        RunRecord[] runs = [running, Run("alpha", 1, T0, RunStatus.Succeeded), Run("bravo", 1, T0, RunStatus.Pending)];
        Runs.Upsert(runs.Select(run => new RunRow(run.RunId.Job, run, null, 1)).ToList());

        var inFlight = Runs.InFlight([JobId.Parse("alpha")]);

        Assert.Equal([running], inFlight[JobId.Parse("alpha")]);
        Assert.Empty(inFlight[JobId.Parse("bravo")]);
    }

    [Fact]
    public void Should_trim_only_finished_runs_by_age_and_beyond_the_newest_kept_oldest_first_within_the_row_limit()
    {
        var alpha = JobId.Parse("alpha");
        // alpha: runs 1-6 a minute apart, 2 still running and 3 pending; runs 9 and 10 share one time (numbers, not text).
        var runs = Enumerable.Range(1, 6).Select(n => Run("alpha", n, T0.AddMinutes(n), n switch { 2 => RunStatus.Running, 3 => RunStatus.Pending, _ => RunStatus.Succeeded }))
            .Append(Run("alpha", 9, T0.AddMinutes(9), RunStatus.Failed)).Append(Run("alpha", 10, T0.AddMinutes(9), RunStatus.Succeeded))
            .Append(Run("bravo", 1, T0, RunStatus.Succeeded))
            .ToList();
        Runs.Upsert(runs.Select(run => new RunRow(run.RunId.Job, run, null, 1)).ToList());
        var tables = new JournalTables(_database.Open);

        // Due before minute 5, at most 2 rows at a time: 1 and 4 go (2 and 3 are in flight), then nothing more.
        var byAge = tables.Write([new TrimJobs([new RunTrimRequest(alpha, T0.AddMinutes(5).UtcTicks, null)], [], 0, Max: 2)]);
        Assert.Equal(new Trimmed(2, 0, 1, 0), Assert.Single(byAge));
        Assert.Equal(["alpha~10", "alpha~9", "alpha~6", "alpha~5", "alpha~3", "alpha~2", "bravo~1"], Paged(Query(limit: 20)));

        // The newest 2 finished stay (10 and 9, at one time): 6 and 5 go; in flight and other jobs' runs stay.
        var beyondLast = tables.Write([new TrimJobs([new RunTrimRequest(alpha, null, 2)], [], 0, Max: 100)]);
        Assert.Equal(new Trimmed(2, 0, 0, 0), Assert.Single(beyondLast));
        Assert.Equal(["alpha~10", "alpha~9", "alpha~3", "alpha~2", "bravo~1"], Paged(Query(limit: 20)));
    }

    private static RunListQuery Query(int limit) => new(null, null, null, null, null, null, limit, null);

    /// <summary>Every page of the query, following each page's next, as run ids in the order read.</summary>
    private List<string> Paged(RunListQuery query)
    {
        var read = new List<string>();
        RunCursor? after = null;
        for (var page = 0; page < 1000; page++)
        {
            var rows = Runs.List(query with { After = after, Limit = query.Limit + 1 });
            read.AddRange(rows.Take(query.Limit).Select(run => run.RunId));
            if (rows.Count <= query.Limit)
                return read;
            after = RunCursor.Of(rows[query.Limit - 1]);
        }
        throw new InvalidOperationException("paging did not end");
    }

    private static List<string> Expected(IReadOnlyList<string> newestFirst, IReadOnlyList<RunRecord> all, Func<RunRecord, bool> keep)
    {
        var kept = all.Where(keep).Select(run => run.RunId.ToString()).ToHashSet();
        Assert.NotEmpty(kept);
        return newestFirst.Where(kept.Contains).ToList();
    }

    /// <summary>
    /// Runs of three jobs at ten scheduled times, with ties the order must settle: several jobs at one time, and within
    /// a job runs 9 and 10 at one time (numbers, not text: "10" sorts before "9" as text).
    /// </summary>
    private static IReadOnlyList<RunRecord> ManyRuns()
    {
        var runs = new List<RunRecord>();
        foreach (var (job, jobIndex) in new[] { "alpha", "bravo", "charlie" }.Select((job, i) => (job, i)))
        {
            long sequence = 0;
            for (var minute = 0; minute < 10; minute++)
                for (var attempt = 1; attempt <= 1 + (minute + jobIndex) % 3; attempt++)
                {
                    var status = (minute + attempt + jobIndex) % 4 == 0 ? RunStatus.Failed : RunStatus.Succeeded;
                    runs.Add(Run(job, ++sequence, T0.AddMinutes(minute), status) with
                    {
                        Attempt = attempt,
                        Trigger = attempt > 1 ? RunTrigger.Retry : RunTrigger.Schedule,
                        Worker = sequence % 2 == 0 ? "w2" : "w1",
                    });
                }
        }
        return runs;
    }

    private static RunRecord Run(string job, long sequence, DateTimeOffset scheduledFor, RunStatus status) =>
        new(new RunId(JobId.Parse(job), sequence), 1, RunTrigger.Schedule, scheduledFor, sequence, status, scheduledFor,
            FinishedAt: status.IsFinished() ? scheduledFor.AddSeconds(1) : null);
}

public sealed class RunTablesOnSqliteSpecs() : RunTablesSpecs(TestDatabase.Sqlite());

public sealed class RunTablesOnPostgresSpecs() : RunTablesSpecs(TestDatabase.Postgres());
