using System.Collections.Immutable;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Policies;

/// <summary>
/// What retention may remove: the node's policy with each job's override, and a job only once it has ended and its
/// period has passed — never one with anything left to run, paused, or failed with its schedule going on.
/// </summary>
public sealed class RetentionRulesSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobId Id = JobId.Parse("kept");

    private static readonly RetentionPolicy Node = new(
        RunsMaxAge: TimeSpan.FromDays(30), RunsKeepLast: null, DoneJobsAfter: TimeSpan.FromDays(7),
        CanceledJobsAfter: TimeSpan.FromDays(1), FailedJobsAfter: null, JournalMaxAge: TimeSpan.FromDays(30));

    private static readonly ScheduleSpec Daily = new() { Cron = "0 0 3 * * *" };

    /// <summary>A job with a schedule whose occurrences are spent (done), last changed <paramref name="ago"/> before now.</summary>
    private static JobState Ended(TimeSpan ago, RetentionSpec? retention = null, bool failed = false) =>
        JobState.Empty(Id) with
        {
            Exists = true, Definition = new JobDefinition { Id = Id.Value, Schedule = Daily, Retention = retention },
            LastRunFailed = failed, ChangedAt = Now - ago,
        };

    private static bool MayRemove(JobState state) => RetentionRules.MayRemove(state, Node, state.ChangedAt!.Value, Now);

    [Fact]
    public void Should_trim_runs_by_the_node_policy_unless_the_job_sets_its_own()
    {
        Assert.Equal(new RunTrim(Now.AddDays(-30), null), RetentionRules.Runs(Node, null, Now));
        Assert.Equal(new RunTrim(Now.AddDays(-2), 5),
            RetentionRules.Runs(Node, new RetentionSpec { Runs = new RunRetentionSpec { MaxAge = TimeSpan.FromDays(2), KeepLast = 5 } }, Now));
        Assert.Equal(new RunTrim(Now.AddDays(-30), 5), RetentionRules.Runs(Node, new RetentionSpec { Runs = new RunRetentionSpec { KeepLast = 5 } }, Now));
        Assert.True(RetentionRules.Runs(RetentionPolicy.KeepEverything, null, Now).RemovesNothing);
        Assert.Null(RetentionRules.JournalBefore(RetentionPolicy.KeepEverything, Now));
        Assert.Equal(Now.AddDays(-30), RetentionRules.JournalBefore(Node, Now));
    }

    [Fact]
    public void Should_remove_done_and_canceled_jobs_after_their_periods_and_keep_failed_ones_by_default()
    {
        Assert.False(MayRemove(Ended(TimeSpan.FromDays(6))));
        Assert.True(MayRemove(Ended(TimeSpan.FromDays(7))));
        Assert.True(MayRemove(Ended(TimeSpan.FromDays(1)) with { Canceled = true }));
        Assert.False(MayRemove(Ended(TimeSpan.FromHours(23)) with { Canceled = true }));
        Assert.False(MayRemove(Ended(TimeSpan.FromDays(365), failed: true)));
        Assert.True(RetentionRules.MayRemove(Ended(TimeSpan.FromDays(365), failed: true), Node with { FailedJobsAfter = TimeSpan.FromDays(90) },
            Now.AddDays(-365), Now));
    }

    [Fact]
    public void Should_let_a_job_own_removal_period_apply_to_every_end_failed_included()
    {
        var soon = new RetentionSpec { RemoveAfter = TimeSpan.FromHours(1) };

        Assert.True(MayRemove(Ended(TimeSpan.FromHours(1), soon)));
        Assert.True(MayRemove(Ended(TimeSpan.FromHours(1), soon, failed: true)));
        Assert.False(MayRemove(Ended(TimeSpan.FromMinutes(59), soon, failed: true)));
        Assert.False(MayRemove(Ended(TimeSpan.FromDays(10), new RetentionSpec { RemoveAfter = TimeSpan.FromDays(30) })));
    }

    [Fact]
    public void Should_never_remove_a_job_with_anything_left_to_run_or_one_paused()
    {
        var run = new RunRecord(new RunId(Id, 1), 1, RunTrigger.Manual, Now, 1, RunStatus.Running, Now);
        var old = TimeSpan.FromDays(365);

        Assert.False(MayRemove(Ended(old) with { InFlight = ImmutableList.Create(run) }));
        Assert.False(MayRemove(Ended(old) with { Canceled = true, InFlight = ImmutableList.Create(run) }));
        Assert.False(MayRemove(Ended(old) with { Retries = ImmutableList.Create(new DeferredRun(run.RunId, RunTrigger.Retry, Now, null)) }));
        Assert.False(MayRemove(Ended(old) with { Paused = true }));
        Assert.False(MayRemove(Ended(old) with { NextDueAt = Now.AddHours(1) }));
        // Failed last time but its schedule goes on: not ended, whatever the job's own period says.
        Assert.False(MayRemove(Ended(old, new RetentionSpec { RemoveAfter = TimeSpan.FromHours(1) }, failed: true) with { NextDueAt = Now.AddHours(1) }));
        // Runs only when asked or triggered: waiting, never ended.
        Assert.False(MayRemove(Ended(old) with { Definition = new JobDefinition { Id = Id.Value, Retention = new RetentionSpec { RemoveAfter = TimeSpan.FromHours(1) } } }));
        Assert.False(RetentionRules.MayRemove(JobState.Empty(Id), Node, Now.AddDays(-365), Now));
    }

    [Fact]
    public void Should_forget_the_job_on_removal_but_go_on_numbering_runs_fencing_tokens_and_versions()
    {
        var state = Ended(TimeSpan.FromDays(8)) with { RunSequence = 7, FencingToken = 42, Generation = 12, Version = 40, RunCount = 7 };

        var removed = state.Apply(new JobRemoved("retention", state.RunSequence, state.FencingToken, state.Generation, state.Version, Now));
        var replayed = JobState.Empty(Id).Apply(new JobRemoved("retention", 7, 42, 12, 40, Now));

        Assert.False(removed.Exists);
        Assert.Equal((7L, 42L, 41L, 0), (removed.RunSequence, removed.FencingToken, removed.Version, removed.RunCount));
        Assert.Equal(CoreJson.Serialize(removed), CoreJson.Serialize(replayed));
        Assert.Equal(new RunId(Id, 8), removed.NewRunId());
    }

    [Fact]
    public void Should_refuse_a_retention_that_keeps_nothing_or_has_no_period()
    {
        var definition = new JobDefinition
        {
            Id = "bad", Retention = new RetentionSpec
            {
                Runs = new RunRetentionSpec { MaxAge = TimeSpan.Zero, KeepLast = 0 }, RemoveAfter = TimeSpan.FromSeconds(-1),
            },
        };

        var fields = JobDefinitionValidator.Validate(definition).Select(error => error.Field).Where(field => field.StartsWith("retention")).ToList();

        Assert.Equal(["retention.runs.maxAge", "retention.runs.keepLast", "retention.removeAfter"], fields);
    }
}
