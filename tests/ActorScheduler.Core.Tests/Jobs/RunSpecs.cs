using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Jobs;

public sealed class RunSpecs : JobSpecification
{
    [Fact]
    public void Should_dispatch_with_a_new_fencing_token_and_advance_the_schedule_when_an_occurrence_is_due()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Wake(T0.AddMinutes(1));

        var dispatched = Single<RunDispatched>(events);
        Assert.Equal((RunTrigger.Schedule, T0.AddMinutes(1), 1L, 1), (dispatched.Trigger, dispatched.ScheduledFor, dispatched.FencingToken, dispatched.Attempt));
        Assert.Equal("report~1", dispatched.RunId.ToString());
        Assert.Equal(T0.AddMinutes(2), Single<ScheduleAdvanced>(events).NextDueAt);
        Assert.Equal(JobStatus.Running, State.Status);
    }

    [Fact]
    public void Should_record_worker_times_and_output_of_a_successful_run()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Wake(T0.AddMinutes(1));
        var run = InFlight();
        Start(run, T0.AddMinutes(1).AddMilliseconds(20), "node-a");
        Do(new ReportRunProgress(run.RunId, run.FencingToken, 5, 10), T0.AddMinutes(1).AddSeconds(1));
        var events = Do(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Succeeded, 0, "hello\n"), T0.AddMinutes(1).AddSeconds(2));

        var finished = Assert.Single(State.Recent);
        Assert.Equal((RunStatus.Succeeded, "node-a", 0, 5L, (long?)10),
            (finished.Status, finished.Worker, finished.ExitCode, finished.ProgressCurrent, finished.ProgressMax));
        Assert.Equal("hello\n", Single<RunFinished>(events).Output);
        // The journaled finish holds the output; the state (and its snapshots) keep only the bounded last result.
        Assert.Equal("hello\n", State.LastResult);
        Assert.DoesNotContain("hello", Json(State with { LastResult = null }));
        Assert.Equal(JobStatus.Scheduled, State.Status);
    }

    [Fact]
    public void Should_retry_with_backoff_and_end_in_error_when_attempts_run_out()
    {
        var retry = new RetrySpec { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(1), Multiplier = 2 };
        Do(new DefineJob(OnDemand(d => d with { Retry = retry }), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);

        var now = T0;
        var expectedDelays = new[] { 1, 2 };
        foreach (var delay in expectedDelays)
        {
            var failed = Single<RunFinished>(Finish(InFlight(), RunStatus.Failed, now));
            Assert.Equal(now.AddSeconds(delay), failed.RetryAt);
            Assert.Equal(JobStatus.Running, State.Status);
            Assert.Equal(failed.RetryAt, State.NextWakeAt);
            now = failed.RetryAt!.Value;
            var again = Single<RunDispatched>(Wake(now));
            Assert.Equal((RunTrigger.Retry, failed.RunId), (again.Trigger, again.RetryOf));
        }
        Assert.Null(Single<RunFinished>(Finish(InFlight(), RunStatus.TimedOut, now)).RetryAt);

        Assert.Equal(JobStatus.Error, State.Status);
        Assert.Equal(3, State.FailureCount);
        Assert.Equal(1, State.RunCount);
        Assert.Equal(new[] { 3, 2, 1 }, State.Recent.Select(r => r.Attempt));
    }

    [Fact]
    public void Should_retry_a_run_lost_with_its_worker_on_a_new_fencing_token()
    {
        Do(new DefineJob(OnDemand(d => d with { Retry = new RetrySpec { MaxAttempts = 2, Delay = TimeSpan.Zero } }), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var lost = InFlight();
        Start(lost, T0);
        Finish(lost, RunStatus.Lost, T0.AddSeconds(3));

        var retry = Single<RunDispatched>(Wake(T0.AddSeconds(3)));

        Assert.True(retry.FencingToken > lost.FencingToken, "a re-dispatched run must fence out the lost one");
        Assert.Equal(RejectionKind.Stale, Refused(new ReportRunFinished(lost.RunId, lost.FencingToken, RunStatus.Succeeded), T0.AddSeconds(4)).Kind);
    }

    [Fact]
    public void Should_refuse_a_report_carrying_a_superseded_fencing_token()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var run = InFlight();

        var rejected = Refused(new ReportRunStarted(run.RunId, run.FencingToken - 1, "w"), T0);

        Assert.Equal(RejectionKind.Stale, rejected.Kind);
    }

    [Fact]
    public void Should_record_the_occurrence_as_skipped_when_the_previous_run_is_still_running_and_overlap_is_skip()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Wake(T0.AddMinutes(1));

        var events = Wake(T0.AddMinutes(2));

        var skipped = Single<RunsSkipped>(events);
        Assert.Equal((T0.AddMinutes(2), OverlapDecision.SkippedWhileRunning), (skipped.First, skipped.Reason));
        Assert.Single(State.InFlight);
        Assert.Equal(T0.AddMinutes(3), State.NextDueAt);
    }

    [Fact]
    public void Should_buffer_one_occurrence_and_start_it_when_the_run_ends_when_overlap_is_bufferOne()
    {
        Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.BufferOne }), true), T0);
        Wake(T0.AddMinutes(1));
        Assert.Single(Wake(T0.AddMinutes(2)).OfType<RunBuffered>());
        Assert.Equal(OverlapDecision.SkippedBufferFull, Single<RunsSkipped>(Wake(T0.AddMinutes(3))).Reason);

        var events = Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(3).AddSeconds(1));

        Assert.Equal(T0.AddMinutes(2), Single<RunDispatched>(events).ScheduledFor);
        Assert.Null(State.Buffered);
    }

    [Fact]
    public void Should_run_alongside_when_overlap_is_allow()
    {
        Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.Allow }), true), T0);
        Wake(T0.AddMinutes(1));
        Start(InFlight(), T0.AddMinutes(1));

        Wake(T0.AddMinutes(2));

        Assert.Equal(2, State.InFlight.Count);
    }

    [Fact]
    public void Should_ask_the_running_run_to_stop_and_start_the_new_one_when_overlap_is_replace()
    {
        Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.Replace }), true), T0);
        Wake(T0.AddMinutes(1));
        var old = InFlight();
        Start(old, T0.AddMinutes(1));

        var events = Wake(T0.AddMinutes(2));

        Assert.Equal(old.RunId, Single<RunCancelRequested>(events).RunId);
        Assert.Equal(T0.AddMinutes(2), Single<RunDispatched>(events).ScheduledFor);
        Finish(old, RunStatus.Canceled, T0.AddMinutes(2).AddSeconds(1));
        Assert.Empty(State.Retries);
    }

    [Fact]
    public void Should_run_missed_occurrences_one_after_another_when_fireAll_catches_up()
    {
        var misfire = new MisfireSpec { Policy = MisfirePolicy.FireAll };
        Do(new DefineJob(EveryMinute(d => d with { Misfire = misfire }), true), T0);
        var now = T0.AddMinutes(3).AddSeconds(10);

        var first = Single<RunDispatched>(Wake(now));
        Assert.Equal((RunTrigger.CatchUp, T0.AddMinutes(1)), (first.Trigger, first.ScheduledFor));
        Assert.Equal(T0.AddMinutes(4), State.NextDueAt);

        var ran = new List<DateTimeOffset> { first.ScheduledFor };
        while (State.InFlight.Count > 0)
            ran.AddRange(Finish(InFlight(), RunStatus.Succeeded, now).OfType<RunDispatched>().Select(d => d.ScheduledFor));

        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3)], ran);
        Assert.Null(State.Backlog);
    }

    [Fact]
    public void Should_cancel_a_pending_retry_when_its_failed_run_is_canceled()
    {
        Do(new DefineJob(OnDemand(d => d with { Retry = new RetrySpec { MaxAttempts = 2, Delay = TimeSpan.FromMinutes(1) } }), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var failed = InFlight();
        Finish(failed, RunStatus.Failed, T0);

        Single<DeferredRunDropped>(Do(new CancelRun(failed.RunId, null), T0.AddSeconds(1)));

        Assert.Empty(State.Retries);
        Assert.Null(State.NextWakeAt);
    }

    [Fact]
    public void Should_keep_a_canceled_pending_run_in_flight_until_its_end_is_reported_so_no_later_run_overlaps_it()
    {
        Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.Skip }), true), T0);
        Single<RunDispatched>(Wake(T0.AddMinutes(1)));
        var pending = InFlight();

        Single<RunCancelRequested>(Do(new CancelRun(pending.RunId, "operator"), T0.AddMinutes(1).AddSeconds(1)));
        var startRefused = Refused(new ReportRunStarted(pending.RunId, pending.FencingToken, "w1"), T0.AddMinutes(1).AddSeconds(2));
        var whileStopping = Wake(T0.AddMinutes(2));
        var ended = Single<RunFinished>(Finish(pending, RunStatus.Canceled, T0.AddMinutes(2).AddSeconds(1)));

        Assert.Equal(RejectionKind.Stale, startRefused.Kind);
        Assert.Contains("canceled before it started", startRefused.Message);
        Assert.Empty(whileStopping.OfType<RunDispatched>());
        Assert.Single(whileStopping.OfType<RunsSkipped>());
        Assert.Equal((pending.RunId, RunStatus.Canceled), (ended.RunId, ended.Outcome));
        Assert.Empty(State.InFlight);
        Assert.Null(ended.RetryAt);
    }

    [Fact]
    public void Should_fence_out_the_old_dispatch_when_a_pending_run_is_sent_again()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var before = InFlight();

        var redispatched = Single<RunRedispatched>(Do(new RedispatchRun(before.RunId), T0.AddSeconds(5)));

        Assert.True(redispatched.FencingToken > before.FencingToken);
        Assert.Equal(RejectionKind.Stale, Refused(new ReportRunStarted(before.RunId, before.FencingToken, "old"), T0.AddSeconds(6)).Kind);
        Start(InFlight(), T0.AddSeconds(6), "new");
        Assert.Equal(RejectionKind.Stale, Refused(new RedispatchRun(before.RunId), T0.AddSeconds(7)).Kind);
    }

    [Fact]
    public void Should_refuse_a_second_start_of_the_same_run_on_another_worker()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        Start(InFlight(), T0, "w1");

        Assert.Empty(Start(InFlight(), T0, "w1"));
        Assert.Equal(RejectionKind.Stale, Refused(new ReportRunStarted(InFlight().RunId, InFlight().FencingToken, "w2"), T0).Kind);
    }

    [Fact]
    public void Should_answer_not_found_for_a_run_that_never_existed()
    {
        Do(new DefineJob(OnDemand(), true), T0);

        Assert.Equal(RejectionKind.NotFound, Refused(new CancelRun(new RunId(Id, 99), null), T0).Kind);
    }
}
