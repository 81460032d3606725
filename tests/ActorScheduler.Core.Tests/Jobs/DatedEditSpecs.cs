using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// Dated edits and the audit trail: a replacement that takes effect later leaves the job as it is until then, and its
/// wake-up applies it; every event of a person's command names who asked, and a replacement lists what it changed.
/// </summary>
public sealed class DatedEditSpecs : JobSpecification
{
    private static readonly DateTimeOffset Effective = T0.AddMinutes(10).AddSeconds(30);

    private static JobDefinition EveryFiveMinutes(Func<JobDefinition, JobDefinition>? change = null) =>
        EveryMinute(d => (change ?? (x => x))(d with { Schedule = new ScheduleSpec { Every = new RepeatPeriod { Minutes = 5 }, Start = T0 } }));

    [Fact]
    public void Should_keep_the_job_as_it_is_until_the_edit_takes_effect_and_show_it_pending()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Do(new DefineJob(EveryFiveMinutes(), false, Effective) { By = "api-token (curl/8)" }, T0.AddSeconds(10));

        var scheduled = Single<EditScheduled>(events);
        Assert.Equal((Effective, "api-token (curl/8)"), (scheduled.EffectiveAt, scheduled.By));
        Assert.Equal(["schedule.every.minutes"], scheduled.Changed);
        Assert.Equal(EveryMinute().Schedule, State.Definition.Schedule);
        Assert.Equal(Effective, State.PendingEdit!.EffectiveAt);
        Assert.Equal(T0.AddMinutes(1), State.NextWakeAt);
        Assert.Equal(Effective, JobView.From(State).PendingEdit!.EffectiveAt);
    }

    [Fact]
    public void Should_apply_the_edit_at_its_time_and_count_the_new_schedule_from_it()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new DefineJob(EveryFiveMinutes(), false, Effective) { By = "dashboard" }, T0);
        for (var minute = 1; minute <= 10; minute++)
        {
            var wake = Wake(T0.AddMinutes(minute));
            Finish(Assert.Single(wake.OfType<RunDispatched>()) is { } d ? State.InFlight.Single(r => r.RunId == d.RunId) : null!, RunStatus.Succeeded, T0.AddMinutes(minute));
        }
        Assert.Equal(Effective, State.NextWakeAt);

        var applied = Wake(Effective);

        var defined = Single<JobDefined>(applied);
        Assert.Equal((Effective, "dashboard", false), (defined.EffectiveAt, defined.By, defined.Created));
        Assert.Null(State.PendingEdit);
        Assert.Empty(applied.OfType<RunDispatched>());
        Assert.Equal(T0.AddMinutes(15), State.NextDueAt);
        Assert.Equal(5, State.Definition.Schedule!.Every!.Minutes);
    }

    [Fact]
    public void Should_record_old_occurrences_still_due_before_the_edit_as_skipped_after_downtime()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new DefineJob(EveryFiveMinutes(), false, Effective), T0);

        var late = Wake(T0.AddMinutes(20));

        var skipped = Single<RunsSkipped>(late.TakeWhile(e => e is not JobDefined));
        Assert.Equal((T0.AddMinutes(1), T0.AddMinutes(10), 10, JobDecider.ReasonReplacedByEdit), (skipped.First, skipped.Last, skipped.Count, skipped.Reason));
        Assert.IsType<JobDefined>(late.SkipWhile(e => e is not JobDefined).First());
        // The new schedule's occurrences from the edit on go through its misfire policy (fireOnce: one run now).
        Assert.Single(late.OfType<RunDispatched>());
    }

    [Fact]
    public void Should_leave_a_pending_edit_in_place_on_an_immediate_replacement_and_withdraw_it_on_request()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new DefineJob(EveryFiveMinutes(), false, Effective), T0);

        Do(new DefineJob(EveryMinute(d => d with { Tags = ["now"] }), false), T0.AddSeconds(1));
        Assert.NotNull(State.PendingEdit);

        var dropped = Single<EditDropped>(Do(new DropEdit { By = "ops" }, T0.AddSeconds(2)));
        Assert.Equal("ops", dropped.By);
        Assert.Null(State.PendingEdit);
        Assert.Equal(RejectionKind.NotFound, Refused(new DropEdit(), T0.AddSeconds(3)).Kind);
    }

    [Fact]
    public void Should_refuse_a_dated_edit_of_a_job_that_does_not_exist_or_is_canceled()
    {
        Assert.Equal(RejectionKind.NotFound, Refused(new DefineJob(EveryMinute(), false, Effective), T0).Kind);

        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new DefineJob(EveryFiveMinutes(), false, Effective), T0);
        var cancel = Do(new CancelJob("retired"), T0);
        Assert.Single(cancel.OfType<EditDropped>());
        Assert.Equal(RejectionKind.Conflict, Refused(new DefineJob(EveryFiveMinutes(), false, Effective), T0).Kind);
    }

    [Fact]
    public void Should_apply_an_edit_whose_time_has_passed_at_once()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Do(new DefineJob(EveryFiveMinutes(), false, T0.AddSeconds(-1)), T0);

        Assert.Empty(events.OfType<EditScheduled>());
        Assert.Equal(5, State.Definition.Schedule!.Every!.Minutes);
    }

    [Fact]
    public void Should_apply_a_due_edit_to_a_paused_job_and_keep_it_paused()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Do(new PauseJob("maintenance"), T0);
        Do(new DefineJob(EveryFiveMinutes(), false, Effective), T0);
        Assert.Equal(Effective, State.NextWakeAt);

        Wake(Effective);

        Assert.Equal((true, 5), (State.Paused, State.Definition.Schedule!.Every!.Minutes));
        Assert.Null(State.NextWakeAt);
    }

    [Fact]
    public void Should_name_who_asked_on_every_event_of_a_command_and_nobody_on_the_jobs_own()
    {
        var created = Do(new DefineJob(OnDemand(), true) { By = "api-token (schedctl alice@h)" }, T0);
        var triggered = Do(new TriggerJob(RunTrigger.Manual, null, "api") { By = "dashboard" }, T0);
        var finished = Finish(InFlight(), RunStatus.Succeeded, T0.AddSeconds(1));

        Assert.Equal("api-token (schedctl alice@h)", Single<JobDefined>(created).By);
        Assert.Equal("dashboard", Single<RunDispatched>(triggered).By);
        Assert.Null(Single<RunFinished>(finished).By);
        Assert.Null(Single<JobDefined>(created).Changed);
    }

    [Fact]
    public void Should_list_the_changed_fields_of_a_replacement()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Do(new DefineJob(EveryMinute(d => d with
        {
            Tags = ["billing"], Retry = new RetrySpec { MaxAttempts = 3 }, Run = new RunSpec { Shell = new ShellRunSpec { Command = ["echo", "hi"] } },
        }), false), T0);

        Assert.Equal(["run.shell.command", "retry", "tags"], Single<JobDefined>(events).Changed);
    }

    [Fact]
    public void Should_cap_the_list_of_changed_fields()
    {
        var before = EveryMinute();
        var after = before with { Data = System.Text.Json.JsonDocument.Parse("{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}")) + "}").RootElement };

        var changed = DefinitionChanges.Between(before, after);

        Assert.Equal(["data"], changed);
        var deep = DefinitionChanges.Between(after, after with { Data = System.Text.Json.JsonDocument.Parse("{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i + 1}")) + "}").RootElement });
        Assert.Equal(DefinitionChanges.MaxPaths, deep.Count);
        Assert.Equal("… and 9 more", deep[^1]);
    }

    [Fact]
    public void Should_replay_a_dated_edit_to_the_same_state()
    {
        var history = new List<JobEvent>();
        history.AddRange(Do(new DefineJob(EveryMinute(), true), T0));
        history.AddRange(Do(new DefineJob(EveryFiveMinutes(), false, Effective) { By = "x" }, T0));
        history.AddRange(Wake(T0.AddMinutes(20)));

        var replayed = history.Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));

        Assert.Equal(Json(State), Json(replayed));
    }
}
