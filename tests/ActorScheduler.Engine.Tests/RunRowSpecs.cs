using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Protocol;
using static ActorScheduler.Engine.Tests.JobSteps;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The runs read model's rows on their way to the database: derived from a job's events (<see cref="Jobs.JobEffects"/>)
/// and gathered with their job's row in the index writer's batch (<see cref="IndexBatch"/>), where no run row of a
/// replaced job row may be lost.
/// </summary>
public sealed class RunRowSpecs
{
    [Fact]
    public void Should_carry_the_runs_the_events_changed_at_the_jobs_version_with_the_output_of_a_finish()
    {
        var triggered = Define(OnDemandConcurrent).Then(Manual, T0);
        var run = triggered.Run();
        var finished = triggered.Then(Finish(run, RunStatus.Succeeded, "done"), T0.AddSeconds(1));

        var dispatchedRow = Assert.Single(triggered.Effects.IndexRow.Runs!);
        var finishedRow = Assert.Single(finished.Effects.IndexRow.Runs!);

        Assert.Equal((run, (string?)null, triggered.After.Version), (dispatchedRow.Run, dispatchedRow.Output, dispatchedRow.Version));
        Assert.Equal((finished.After.Recent[0], "done", finished.After.Version), (finishedRow.Run, finishedRow.Output, finishedRow.Version));
        Assert.Null(Define(Hourly).Effects.IndexRow.Runs);
    }

    [Fact]
    public void Should_keep_no_output_in_the_job_s_view_when_a_run_finishes_with_one()
    {
        var triggered = Define(OnDemandConcurrent).Then(Manual, T0);
        var finished = triggered.Then(Finish(triggered.Run(), RunStatus.Succeeded, "a big output"), T0.AddSeconds(1));

        Assert.DoesNotContain("a big output", finished.Effects.IndexRow.ViewJson());
        Assert.Null(JobView.From(finished.After).LastRun!.Output);
    }

    [Fact]
    public void Should_write_the_run_rows_of_every_row_of_a_job_when_newer_rows_replace_older_ones_in_the_batch()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row(1, RunRowOf(1, RunStatus.Pending, null, 1)));
        batch.Add(Row(2, RunRowOf(2, RunStatus.Pending, null, 2)));
        batch.Add(Row(3, RunRowOf(1, RunStatus.Succeeded, "first", 3)));

        var row = Assert.Single(batch.TakeForFlush()!);

        Assert.Equal(3, row.Version);
        Assert.Equal([(1L, RunStatus.Succeeded, "first"), (2L, RunStatus.Pending, null)],
            row.Runs!.Select(r => (r.Run.RunId.Sequence, r.Run.Status, r.Output)).OrderBy(r => r.Sequence));
    }

    [Fact]
    public void Should_keep_a_newer_run_row_and_the_older_ones_output_when_a_failed_flush_gives_its_rows_back()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row(3, RunRowOf(1, RunStatus.Succeeded, "first", 3)));
        var failed = batch.TakeForFlush()!;
        batch.Add(Row(4, RunRowOf(1, RunStatus.Succeeded, null, 4), RunRowOf(2, RunStatus.Pending, null, 4)));

        batch.Flushed(failed, failed: true);

        var row = Assert.Single(batch.TakeForFlush()!);
        Assert.Equal(4, row.Version);
        Assert.Equal([(1L, 4L, "first"), (2L, 4L, null)],
            row.Runs!.Select(r => (r.Run.RunId.Sequence, r.Version, r.Output)).OrderBy(r => r.Sequence));
    }

    private static JobIndexRow Row(long version, params RunRow[] runs) =>
        new(Id, Shard: 0, version, JobStatus.Running, Worker: null, Tags: [], WakeAt: null, Generation: 1, JobState.Empty(Id), null, runs);

    private static RunRow RunRowOf(long sequence, RunStatus status, string? output, long version) =>
        new(Id, new RunRecord(new RunId(Id, sequence), 1, RunTrigger.Manual, T0, sequence, status, T0), output, version);
}
