using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

public sealed class JobLifecycleSpecs : JobSpecification
{
    [Fact]
    public void Should_schedule_the_first_occurrence_when_created()
    {
        var events = Do(new DefineJob(EveryMinute(), CreateOnly: true), T0.AddSeconds(10));

        var defined = Single<JobDefined>(events);
        Assert.True(defined.Created);
        Assert.Equal(T0.AddMinutes(1), defined.NextDueAt);
        Assert.Equal(JobStatus.Scheduled, State.Status);
    }

    [Fact]
    public void Should_refuse_creation_and_record_nothing_when_the_definition_is_invalid()
    {
        var rejected = Refused(new DefineJob(EveryMinute(d => d with { MaxRuns = 0 }), true), T0);

        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.Contains("maxRuns", rejected.Message);
        Assert.False(State.Exists);
    }

    [Fact]
    public void Should_answer_conflict_when_creating_an_id_that_exists()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        Assert.Equal(RejectionKind.Conflict, Refused(new DefineJob(EveryMinute(), true), T0).Kind);
    }

    [Fact]
    public void Should_keep_history_and_counters_when_replaced()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        Finish(InFlight(), RunStatus.Succeeded, T0.AddSeconds(1));

        var defined = Single<JobDefined>(Do(new DefineJob(EveryMinute(), false), T0.AddSeconds(30)));

        Assert.False(defined.Created);
        Assert.Equal(1, State.RunCount);
        Assert.Single(State.Recent);
        Assert.Equal(T0.AddMinutes(1), State.NextDueAt);
    }

    [Fact]
    public void Should_be_waiting_with_no_next_occurrence_when_disabled_and_resume_the_grid_when_enabled()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new DisableJob(), T0.AddSeconds(5));
        Assert.Equal(JobStatus.Waiting, State.Status);
        Assert.Null(State.NextDueAt);

        Do(new EnableJob(), T0.AddMinutes(10).AddSeconds(5));

        Assert.Equal(T0.AddMinutes(11), State.NextDueAt);
    }

    [Fact]
    public void Should_record_the_occurrences_missed_while_paused_when_resumed()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new PauseJob("maintenance"), T0.AddSeconds(30));
        Assert.Equal(JobStatus.Paused, State.Status);
        Assert.Equal("maintenance", State.PausedReason);
        Assert.Empty(Wake(T0.AddMinutes(1)));

        var events = Do(new ResumeJob(), T0.AddMinutes(5).AddSeconds(30));

        var skipped = Single<RunsSkipped>(events);
        Assert.Equal((T0.AddMinutes(1), T0.AddMinutes(5), 5, JobDecider.ReasonPaused),
            (skipped.First, skipped.Last, skipped.Count, skipped.Reason));
        Assert.Equal(T0.AddMinutes(6), State.NextDueAt);
        Assert.Equal(JobStatus.Scheduled, State.Status);
    }

    [Fact]
    public void Should_skip_the_occurrences_passed_over_when_rescheduled_later()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Do(new RescheduleJob(T0.AddMinutes(3).AddSeconds(30)), T0.AddSeconds(1));

        var skipped = Single<RunsSkipped>(events);
        Assert.Equal(3, skipped.Count);
        Assert.Equal(JobDecider.ReasonRescheduled, skipped.Reason);
        Assert.Equal(T0.AddMinutes(3).AddSeconds(30), State.NextDueAt);
        var dispatched = Single<RunDispatched>(Wake(T0.AddMinutes(3).AddSeconds(30)));
        Assert.Equal(T0.AddMinutes(3).AddSeconds(30), dispatched.ScheduledFor);
        Assert.Equal(T0.AddMinutes(4), State.NextDueAt);
    }

    [Fact]
    public void Should_refuse_to_reschedule_into_the_past()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var rejected = Refused(new RescheduleJob(T0.AddMinutes(-5)), T0);

        Assert.Equal(RejectionKind.Invalid, rejected.Kind);
        Assert.StartsWith("at:", rejected.Message);
    }

    [Fact]
    public void Should_ask_every_run_in_flight_to_stop_when_the_job_is_canceled_and_end_each_when_its_process_has()
    {
        Do(new DefineJob(OnDemand(d => d with { Overlap = OverlapPolicy.Allow }), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        Start(InFlight(), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);

        var events = Do(new CancelJob("no longer needed"), T0.AddSeconds(1));

        Assert.Equal(2, events.OfType<RunCancelRequested>().Count());
        Assert.Empty(events.OfType<RunFinished>());
        Assert.Equal(JobStatus.Canceled, State.Status);
        Assert.Null(State.NextWakeAt);
        Assert.Equal(RejectionKind.Conflict, Refused(new TriggerJob(RunTrigger.Manual, null, null), T0).Kind);
        Finish(InFlight(1), RunStatus.Canceled, T0.AddSeconds(2));
        Finish(InFlight(), RunStatus.Canceled, T0.AddSeconds(2));
        Assert.Empty(State.InFlight);
    }

    [Fact]
    public void Should_live_again_with_its_history_when_a_canceled_job_is_replaced()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new CancelJob(null), T0);

        Do(new DefineJob(EveryMinute(), false), T0.AddSeconds(10));

        Assert.Equal(JobStatus.Scheduled, State.Status);
    }

    [Fact]
    public void Should_be_done_when_the_window_closes()
    {
        var stop = T0.AddMinutes(2).AddSeconds(30);
        Do(new DefineJob(EveryMinute(d => d with { Window = new WindowSpec { Stop = stop } }), true), T0);

        Wake(T0.AddMinutes(1));
        Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(1));
        Wake(T0.AddMinutes(2));
        Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(2));

        Assert.Null(State.NextDueAt);
        Assert.Equal(JobStatus.Done, State.Status);
    }

    [Fact]
    public void Should_stop_the_schedule_when_maxRuns_is_reached_and_refuse_further_triggers()
    {
        Do(new DefineJob(EveryMinute(d => d with { MaxRuns = 2 }), true), T0);
        Wake(T0.AddMinutes(1));
        Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(1));

        Do(new TriggerJob(RunTrigger.Manual, null, null), T0.AddMinutes(1).AddSeconds(5));

        Assert.Null(State.NextDueAt);
        Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(1).AddSeconds(6));
        Assert.Equal(JobStatus.Done, State.Status);
        Assert.Equal(RejectionKind.Conflict, Refused(new TriggerJob(RunTrigger.Manual, null, null), T0.AddMinutes(2)).Kind);
    }

    [Fact]
    public void Should_run_a_new_one_off_job_whose_time_has_just_passed()
    {
        var at = T0.AddSeconds(-5);
        Do(new DefineJob(EveryMinute(d => d with { Schedule = new ScheduleSpec { At = at } }), true), T0);

        var dispatched = Single<RunDispatched>(Wake(T0));

        Assert.Equal((at, RunTrigger.Schedule), (dispatched.ScheduledFor, dispatched.Trigger));
        Finish(InFlight(), RunStatus.Succeeded, T0.AddSeconds(1));
        Assert.Equal(JobStatus.Done, State.Status);
    }

    [Fact]
    public void Should_ignore_a_wake_up_from_an_earlier_generation()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        var stale = State.Generation;
        Do(new RescheduleJob(T0.AddMinutes(5)), T0);

        Assert.Empty(Do(new WakeUp(stale), T0.AddMinutes(1)));
        Assert.NotEqual(stale, State.Generation);
    }

    [Fact]
    public void Should_record_an_event_trigger_as_skipped_when_paused_but_run_a_manual_one()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new PauseJob(null), T0);

        Assert.Equal(JobDecider.ReasonPaused, Single<RunsSkipped>(Do(new TriggerJob(RunTrigger.Event, null, "extract"), T0)).Reason);
        Assert.Single(Do(new TriggerJob(RunTrigger.Manual, null, null), T0).OfType<RunDispatched>());
    }
}
