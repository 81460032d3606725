using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;
using static ActorScheduler.Engine.Tests.JobSteps;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// What follows a change of a job (<see cref="JobEffects"/>), over states built by deciding and applying commands
/// (<see cref="JobSteps"/>).
/// </summary>
public sealed class JobEffectsSpecs
{
    // After a definition

    [Fact]
    public void Should_create_the_job_with_its_trigger_keys_and_wake_time_when_a_new_job_is_defined()
    {
        var defined = Define(Hourly);

        var effects = defined.Effects;

        Assert.True(effects.Created);
        Assert.Equal(T0.AddHours(1), defined.After.NextWakeAt);
        Assert.Equal(defined.After.NextWakeAt, effects.WakeAt);
        Assert.Equal(GoKeys, effects.IndexRow.TriggerKeys);
        Assert.Equal((Id, JobSharding.ShardOf(Id, ShardCount), defined.After.Version, defined.After.Generation, T0.AddHours(1)),
            (effects.IndexRow.JobId, effects.IndexRow.Shard, effects.IndexRow.Version, effects.IndexRow.Generation, effects.IndexRow.WakeAt));
        Assert.Equal((0, 0, 0, (RunId?)null), (effects.Dispatch.Count, effects.Cancel.Count, effects.Completed.Count, effects.NewRun));
    }

    [Fact]
    public void Should_send_the_trigger_keys_but_not_report_a_creation_when_an_existing_job_is_replaced_unchanged()
    {
        var replaced = Define(Hourly).Then(new DefineJob(CoreJson.Deserialize<JobDefinition>(Hourly), false), T0.AddMinutes(1));

        var effects = replaced.Effects;

        Assert.False(effects.Created);
        Assert.True(effects.IndexRow.TriggerKeys is not null && effects.IndexRow.TriggerKeys.SequenceEqual(GoKeys),
            "every definition may change the triggers, so its row carries the keys even when they are the same");
    }

    [Fact]
    public void Should_leave_the_trigger_keys_out_when_a_run_is_triggered()
    {
        var triggered = Define(Hourly).Then(Manual, T0);

        Assert.True(triggered.Effects.IndexRow.TriggerKeys is null, "a run cannot change what the job listens on; null keeps the index's keys");
    }

    [Fact]
    public void Should_write_no_trigger_keys_when_the_job_is_canceled()
    {
        var canceled = Define(Hourly).Then(new CancelJob("spec"), T0.AddMinutes(1));

        Assert.True(canceled.Effects.IndexRow.TriggerKeys is { Count: 0 }, "a canceled job listens on nothing: its keys must be cleared, not kept");
    }

    // After runs start, end or stop

    [Fact]
    public void Should_dispatch_the_new_run_and_answer_with_it_when_the_job_is_triggered()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var run = triggered.Run();

        var effects = triggered.Effects;

        var dispatch = Assert.Single(effects.Dispatch);
        Assert.Equal((run.RunId, run.FencingToken, 1), (dispatch.RunId, dispatch.FencingToken, dispatch.Request.Attempt));
        Assert.Equal(run.RunId, effects.NewRun);
        Assert.False(effects.Created);
    }

    [Fact]
    public void Should_dispatch_a_retry_without_answering_with_it_as_a_new_run_when_the_retry_comes_due()
    {
        var failed = Define(OnDemandWithRetry).Then(Manual, T0);
        failed = failed.Then(Finish(failed.Run(), RunStatus.Failed), T0);
        var retryAt = T0.AddSeconds(1);

        var retried = failed.Then(new WakeUp(failed.After.Generation), retryAt);
        var effects = retried.Effects;

        var dispatch = Assert.Single(effects.Dispatch);
        Assert.Equal((retried.Run().RunId, 2), (dispatch.RunId, dispatch.Request.Attempt));
        Assert.True(effects.NewRun is null, "a retry continues the failed run; the wake-up did not start a new run");
    }

    [Fact]
    public void Should_answer_with_the_buffered_run_without_dispatching_it_when_a_trigger_waits_for_a_running_one()
    {
        var running = Define($$$"""{"id":"nightly",{{{Handler}}},"overlap":"bufferOne"}""").Then(Manual, T0);

        var buffered = running.Then(Manual, T0.AddSeconds(1));
        var effects = buffered.Effects;

        Assert.Equal(buffered.After.Buffered?.RunId, effects.NewRun);
        Assert.True(effects.Dispatch.Count == 0, "a buffered run starts when the one in flight ends, not now");
        var drained = buffered.Then(Finish(running.Run(), RunStatus.Succeeded), T0.AddSeconds(2)).Effects;
        Assert.Equal([effects.NewRun!.Value], drained.Dispatch.Select(d => d.RunId));
    }

    [Fact]
    public void Should_dispatch_a_pending_run_again_under_its_new_token_when_it_is_redispatched()
    {
        var triggered = Define(Hourly).Then(Manual, T0);

        var redispatched = triggered.Then(new RedispatchRun(triggered.Run().RunId), T0.AddSeconds(5));

        var dispatch = Assert.Single(redispatched.Effects.Dispatch);
        Assert.Equal(redispatched.Run().FencingToken, dispatch.FencingToken);
        Assert.True(dispatch.FencingToken > triggered.Run().FencingToken, "the new dispatch must fence out the old one");
        Assert.Null(redispatched.Effects.NewRun);
    }

    [Fact]
    public void Should_ask_the_runs_worker_to_stop_when_a_running_run_is_canceled()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var running = triggered.Then(new ReportRunStarted(triggered.Run().RunId, triggered.Run().FencingToken, "node-a"), T0.AddSeconds(1));

        var effects = running.Then(new CancelRun(triggered.Run().RunId, "spec"), T0.AddSeconds(2)).Effects;

        Assert.Equal([new CancelDispatchedRun(triggered.Run().RunId, "node-a", triggered.Run().FencingToken)], effects.Cancel);
        Assert.True(effects.Completed.Count == 0, "a running run ends when its worker reports, not when the cancel is asked");
    }

    [Fact]
    public void Should_ask_the_dispatcher_to_stop_a_pending_run_when_it_is_canceled_and_complete_it_only_when_that_is_reported()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var run = triggered.Run();

        var canceled = triggered.Then(new CancelRun(run.RunId, "spec"), T0.AddSeconds(1));
        var ended = canceled.Then(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Canceled, Error: "canceled before it reached a worker"), T0.AddSeconds(2));

        Assert.Equal([new CancelDispatchedRun(run.RunId, null, run.FencingToken)], canceled.Effects.Cancel);
        Assert.True(canceled.Effects.Completed.Count == 0, "the process may exist already: the run ends when that is settled");
        Assert.Equal(RunStatus.Canceled, Assert.Single(ended.Effects.Completed).Outcome);
    }

    [Fact]
    public void Should_announce_the_completion_when_a_run_finishes_without_a_retry()
    {
        var triggered = Define(Hourly).Then(Manual, T0);
        var run = triggered.Run();

        var effects = triggered.Then(Finish(run, RunStatus.Succeeded, "done"), T0.AddSeconds(3)).Effects;

        Assert.Equal([new RunCompleted(Id, run.RunId, RunStatus.Succeeded, "done")], effects.Completed);
    }

    [Fact]
    public void Should_not_announce_a_completion_when_a_failed_run_will_be_retried()
    {
        var triggered = Define(OnDemandWithRetry).Then(Manual, T0);

        var effects = triggered.Then(Finish(triggered.Run(), RunStatus.Failed), T0).Effects;

        Assert.True(effects.Completed.Count == 0, "triggers on this job must wait for the last attempt");
        Assert.Equal(T0.AddSeconds(1), effects.WakeAt);
    }

    [Fact]
    public void Should_dispatch_only_the_new_run_and_complete_the_retry_when_an_occurrence_replaces_a_retry_due_with_it()
    {
        // Every minute, overlap "replace", a failed run retried a minute later: at T0+2m the retry comes due and
        // starts, then the occurrence due at the same instant replaces it, all in one decision.
        const string json = $$$"""{"id":"nightly","schedule":{"every":{"minutes":1}},"overlap":"replace",{{{Handler}}},"retry":{"maxAttempts":3,"delay":"PT1M"}}""";
        var defined = Define(json);
        var first = defined.Then(new WakeUp(defined.After.Generation), T0.AddMinutes(1));
        var failed = first.Then(Finish(first.Run(), RunStatus.Failed), T0.AddMinutes(1));
        var wake = failed.Then(new WakeUp(failed.After.Generation), T0.AddMinutes(2));
        var retry = Assert.Single(wake.Events.OfType<RunDispatched>(), d => d.RetryOf is not null);
        var replacing = Assert.Single(wake.Events.OfType<RunDispatched>(), d => d.RetryOf is null);
        Assert.Contains(wake.Events, e => e is RunFinished f && f.RunId == retry.RunId && f.Outcome == RunStatus.Canceled);

        var effects = JobEffects.After(wake.Before, wake.After, wake.Events, wake.Now, ShardCount);

        Assert.True(effects.Dispatch.Select(d => d.RunId).SequenceEqual([replacing.RunId]),
            "the retry ended in the same decision that started it; only the replacing run goes to a worker");
        Assert.True(effects.Completed.Any(c => c.RunId == retry.RunId && c.Outcome == RunStatus.Canceled),
            "the canceled retry was the last attempt: listeners on this job's completion must hear of it");
    }

    // The index row's wake time

    [Fact]
    public void Should_ask_for_an_in_flight_check_when_a_run_is_in_flight_and_the_next_occurrence_is_later()
    {
        var triggered = Define(Hourly).Then(Manual, T0);

        var effects = triggered.Effects;

        Assert.Equal(T0 + JobEffects.InFlightCheck, effects.IndexRow.WakeAt);
        Assert.True(effects.WakeAt == T0.AddHours(1), "only the index row is capped; the job's own wake-up stays at its next occurrence");
    }

    [Fact]
    public void Should_keep_the_next_occurrence_in_the_row_when_it_comes_before_the_in_flight_check()
    {
        var now = T0.AddHours(1) - JobEffects.InFlightCheck + TimeSpan.FromSeconds(1);

        var effects = Define(Hourly).Then(Manual, now).Effects;

        Assert.Equal(T0.AddHours(1), effects.IndexRow.WakeAt);
    }

    [Fact]
    public void Should_ask_for_an_in_flight_check_when_a_run_is_in_flight_and_nothing_is_scheduled()
    {
        var effects = Define(OnDemandConcurrent).Then(Manual, T0).Effects;

        Assert.Null(effects.WakeAt);
        Assert.True(effects.IndexRow.WakeAt == T0 + JobEffects.InFlightCheck,
            "a crash must not leave the run 'running' forever: the index wakes the job to reconcile it");
    }

    [Fact]
    public void Should_write_no_wake_time_when_nothing_is_in_flight_or_scheduled()
    {
        var triggered = Define(OnDemandConcurrent).Then(Manual, T0);

        var effects = triggered.Then(Finish(triggered.Run(), RunStatus.Succeeded), T0.AddSeconds(1)).Effects;

        Assert.Null(effects.IndexRow.WakeAt);
    }

    // After recovery

    [Fact]
    public void Should_write_the_whole_row_with_trigger_keys_when_the_job_recovers()
    {
        var state = Define(Hourly).Then(Manual, T0).After;
        var now = T0.AddMinutes(10);

        var effects = JobEffects.Recovered(state, now, ShardCount);

        Assert.True(effects.IndexRow.TriggerKeys is not null && effects.IndexRow.TriggerKeys.SequenceEqual(GoKeys),
            "an unclean stop may have lost the last row, trigger keys included");
        Assert.Equal((state.Version, now + JobEffects.InFlightCheck, T0.AddHours(1)), (effects.IndexRow.Version, effects.IndexRow.WakeAt, effects.WakeAt));
        Assert.Equal((0, 0, 0, false), (effects.Dispatch.Count, effects.Cancel.Count, effects.Completed.Count, effects.Created));
    }

    [Fact]
    public void Should_send_pending_runs_again_and_check_running_ones_when_the_job_recovers()
    {
        var first = Define(OnDemandConcurrent).Then(Manual, T0);
        var second = first.Then(Manual, T0.AddSeconds(1));
        var state = second.Then(new ReportRunStarted(first.Run().RunId, first.Run().FencingToken, "node-a"), T0.AddSeconds(2)).After;

        var (redispatch, check, cancel) = JobEffects.InFlightAfterRecovery(state);

        Assert.Equal([second.Run(1).RunId], redispatch);
        var reconcile = Assert.Single(check);
        Assert.Equal((first.Run().RunId, RunStatus.Running, "node-a"), (reconcile.Run.RunId, reconcile.Status, reconcile.Worker));
        Assert.Empty(cancel);
    }

    [Fact]
    public void Should_send_the_cancel_again_rather_than_the_run_when_a_job_recovers_with_a_pending_run_being_canceled()
    {
        var first = Define(OnDemandConcurrent).Then(Manual, T0);
        var second = first.Then(Manual, T0.AddSeconds(1));
        var state = second.Then(new CancelRun(second.Run(1).RunId, "spec"), T0.AddSeconds(2)).After;

        var (redispatch, _, cancel) = JobEffects.InFlightAfterRecovery(state);

        Assert.Equal([first.Run().RunId], redispatch);
        Assert.Equal([new CancelDispatchedRun(second.Run(1).RunId, null, second.Run(1).FencingToken)], cancel);
    }
}
