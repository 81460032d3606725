using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Tests;

/// <summary>The index writer's group commit without an actor: newest row per job, one flush at a time, failed flushes retried.</summary>
public sealed class IndexBatchSpecs
{
    private static readonly IReadOnlyList<string> GoKeys = [TriggerKeys.ForEvent("go")];

    private static JobIndexRow Row(string job, long version, IReadOnlyList<string>? triggerKeys = null)
    {
        var id = JobId.Parse(job);
        return new JobIndexRow(id, Shard: 0, version, JobStatus.Scheduled, Worker: null, Tags: [], WakeAt: null, Generation: 1,
            JobState.Empty(id), triggerKeys);
    }

    private static JobIndexRow Flushed(IndexBatch batch, string job) =>
        Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<JobIndexRow>>(batch.TakeForFlush()), row => row.JobId == JobId.Parse(job));

    [Fact]
    public void Should_answer_full_when_the_batch_reaches_its_maximum()
    {
        var batch = new IndexBatch(maxBatch: 3);

        Assert.False(batch.Add(Row("a", 1)));
        Assert.False(batch.Add(Row("b", 1)));
        Assert.True(batch.Add(Row("c", 1)));
    }

    [Fact]
    public void Should_count_a_job_once_when_it_sends_several_rows()
    {
        var batch = new IndexBatch(maxBatch: 2);

        batch.Add(Row("a", 1));
        var full = batch.Add(Row("a", 2));

        Assert.False(full, "a job's rows replace each other; two rows of one job are one row to write");
        Assert.Equal(1, batch.Pending);
    }

    [Fact]
    public void Should_write_the_newest_version_when_a_newer_row_of_the_job_arrives()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1));
        batch.Add(Row("a", 2));

        Assert.Equal(2, Flushed(batch, "a").Version);
    }

    [Fact]
    public void Should_ignore_an_older_version_when_it_arrives_after_a_newer_one()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 2));
        batch.Add(Row("a", 1));

        Assert.Equal(2, Flushed(batch, "a").Version);
    }

    [Fact]
    public void Should_keep_pending_trigger_keys_when_a_newer_row_does_not_change_them()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1, GoKeys));
        batch.Add(Row("a", 2, triggerKeys: null));

        var row = Flushed(batch, "a");

        Assert.Equal(2, row.Version);
        Assert.True(row.TriggerKeys is not null && row.TriggerKeys.SequenceEqual(GoKeys),
            "a row that leaves the triggers alone must not drop a trigger change still waiting in the batch");
    }

    [Fact]
    public void Should_write_the_newer_trigger_keys_when_the_newer_row_changes_them()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1, GoKeys));
        batch.Add(Row("a", 2, triggerKeys: []));

        var row = Flushed(batch, "a");

        Assert.True(row.TriggerKeys is { Count: 0 }, "an empty key list (a canceled job) is a change to write, not 'unchanged'");
    }

    [Fact]
    public void Should_give_nothing_to_flush_when_nothing_has_gathered()
    {
        var batch = new IndexBatch(maxBatch: 10);

        Assert.Null(batch.TakeForFlush());
        Assert.False(batch.Flushing);
    }

    [Fact]
    public void Should_give_nothing_to_flush_while_a_flush_is_in_progress()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1));
        var first = batch.TakeForFlush()!;
        batch.Add(Row("b", 1));

        Assert.Null(batch.TakeForFlush());
        batch.Flushed(first, failed: false);
        Assert.Equal(JobId.Parse("b"), Assert.Single(batch.TakeForFlush()!).JobId);
    }

    [Fact]
    public void Should_forget_the_rows_when_their_flush_succeeds()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1));
        var rows = batch.TakeForFlush()!;

        batch.Flushed(rows, failed: false);

        Assert.Null(batch.TakeForFlush());
        Assert.Equal(0, batch.Pending);
    }

    [Fact]
    public void Should_gather_the_rows_again_when_their_flush_fails()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1, GoKeys));
        batch.Add(Row("b", 3));
        var rows = batch.TakeForFlush()!;

        batch.Flushed(rows, failed: true);

        Assert.Equal(rows.OrderBy(r => r.JobId.Value), batch.TakeForFlush()!.OrderBy(r => r.JobId.Value));
    }

    [Fact]
    public void Should_write_the_newer_row_when_it_arrived_during_a_failed_flush()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1));
        var rows = batch.TakeForFlush()!;
        batch.Add(Row("a", 2));

        batch.Flushed(rows, failed: true);

        Assert.True(Flushed(batch, "a").Version == 2, "the failed flush's older row must not overwrite a newer one that arrived meanwhile");
    }

    [Fact]
    public void Should_keep_a_failed_flushs_trigger_keys_when_a_newer_row_without_keys_arrived_during_it()
    {
        // The failed row's keys never reached the index; the newer row only says "unchanged since the row before".
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1, GoKeys));
        var rows = batch.TakeForFlush()!;
        batch.Add(Row("a", 2, triggerKeys: null));

        batch.Flushed(rows, failed: true);

        var row = Flushed(batch, "a");
        Assert.Equal(2, row.Version);
        Assert.True(row.TriggerKeys is not null && row.TriggerKeys.SequenceEqual(GoKeys),
            "the trigger change of a failed flush must still be written when a newer row that leaves the triggers alone wins");
    }

    [Fact]
    public void Should_be_idle_only_when_nothing_is_gathered_or_being_written()
    {
        var batch = new IndexBatch(maxBatch: 10);
        Assert.True(batch.Idle);

        batch.Add(Row("a", 1));
        Assert.False(batch.Idle);

        var rows = batch.TakeForFlush()!;
        Assert.False(batch.Idle, "a flush in progress is not idle: a shutdown must wait for it");

        batch.Flushed(rows, failed: false);
        Assert.True(batch.Idle);
    }

    [Fact]
    public void Should_not_be_idle_when_a_failed_flush_gave_its_rows_back()
    {
        var batch = new IndexBatch(maxBatch: 10);
        batch.Add(Row("a", 1));
        var rows = batch.TakeForFlush()!;

        batch.Flushed(rows, failed: true);

        Assert.False(batch.Idle);
        Assert.Equal(1, batch.Pending);
    }
}
