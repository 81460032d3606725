using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// Backfill: a past range of the schedule's occurrences runs with trigger backfill, one after another through the
/// catch-up backlog (or all at once with overlap allow), bounded by maxCatchUp, max-runs-in-flight and maxRuns.
/// </summary>
public sealed class BackfillSpecs : JobSpecification
{
    private static readonly DateTimeOffset Now = T0.AddHours(1);

    private IReadOnlyList<JobEvent> Backfill(DateTimeOffset from, DateTimeOffset to, OverlapPolicy? overlap = null) =>
        Do(new BackfillJob(from, to, overlap), Now);

    private void Define(Func<JobDefinition, JobDefinition>? change = null) =>
        Do(new DefineJob(EveryMinute(d => (change ?? (x => x))(d with { Schedule = d.Schedule! with { Start = T0.AddHours(-2) } })), true), Now.AddMinutes(-1));

    [Fact]
    public void Should_start_the_first_occurrence_and_queue_the_rest_when_backfilling_a_past_range()
    {
        Define();

        var events = Backfill(T0, T0.AddMinutes(5));

        var queued = events.OfType<CatchUpQueued>().First();
        Assert.Equal((T0, T0.AddMinutes(4), 5, RunTrigger.Backfill), (queued.First, queued.Through, queued.Count, queued.Trigger!.Value));
        var run = Single<RunDispatched>(events);
        Assert.Equal((RunTrigger.Backfill, T0), (run.Trigger, run.ScheduledFor));
        Assert.Equal(new CatchUpBacklog(T0.AddMinutes(1), T0.AddMinutes(4), 4, RunTrigger.Backfill), State.Backlog);
    }

    [Fact]
    public void Should_run_every_occurrence_of_the_range_one_after_another_with_trigger_backfill()
    {
        Define();
        Backfill(T0, T0.AddMinutes(5));

        var ran = new List<DateTimeOffset> { InFlight().ScheduledFor };
        for (var i = 1; i <= 5; i++)
        {
            var next = Finish(InFlight(), RunStatus.Succeeded, Now.AddSeconds(i)).OfType<RunDispatched>().ToList();
            ran.AddRange(next.Select(r => r.ScheduledFor));
            Assert.All(next, r => Assert.Equal(RunTrigger.Backfill, r.Trigger));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(m => T0.AddMinutes(m)), ran);
        Assert.Null(State.Backlog);
        Assert.Empty(State.InFlight);
    }

    [Fact]
    public void Should_wait_for_the_run_in_flight_before_starting_a_backfill()
    {
        Define(d => d with { Schedule = null });
        Do(new DefineJob(EveryMinute(d => d with { Schedule = d.Schedule! with { Start = T0.AddHours(-2) } }), false), Now.AddMinutes(-1));
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), Now);

        var events = Backfill(T0, T0.AddMinutes(2));

        Assert.Empty(events.OfType<RunDispatched>());
        Assert.Equal(T0, State.Backlog!.Next);
        var next = Single<RunDispatched>(Finish(InFlight(), RunStatus.Succeeded, Now.AddSeconds(1)));
        Assert.Equal((RunTrigger.Backfill, T0), (next.Trigger, next.ScheduledFor));
    }

    [Fact]
    public void Should_start_every_occurrence_at_once_when_the_backfill_allows_overlap()
    {
        Define();

        var events = Backfill(T0, T0.AddMinutes(3), OverlapPolicy.Allow);

        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2)], events.OfType<RunDispatched>().Select(r => r.ScheduledFor));
        Assert.All(State.InFlight, r => Assert.Equal(RunTrigger.Backfill, r.Trigger));
        Assert.Null(State.Backlog);
    }

    [Fact]
    public void Should_refuse_an_overlapping_backfill_that_exceeds_the_runs_in_flight_cap()
    {
        Limits = JobLimits.Default with { MaxRunsInFlight = 2 };
        Define();

        var refused = Refused(new BackfillJob(T0, T0.AddMinutes(3), OverlapPolicy.Allow), Now);

        Assert.Equal(RejectionKind.Conflict, refused.Kind);
        Assert.Contains("runs in flight", refused.Message);
    }

    [Fact]
    public void Should_refuse_a_backfill_of_more_occurrences_than_maxCatchUp_naming_the_count()
    {
        Define(d => d with { Misfire = new MisfireSpec { MaxCatchUp = 10 } });

        var refused = Refused(new BackfillJob(T0, T0.AddMinutes(30), null), Now);

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Contains("30 occurrences", refused.Message);
        Assert.Contains("10", refused.Message);
    }

    [Theory]
    [InlineData(5, 5, "from")]     // empty range
    [InlineData(5, 1, "from")]     // reversed
    [InlineData(0, 90, "future")]  // reaches past now
    public void Should_refuse_a_backfill_range_that_is_not_in_the_past_and_ordered(int fromMinutes, int toMinutes, string expected)
    {
        Define();

        var refused = Refused(new BackfillJob(T0.AddMinutes(fromMinutes), T0.AddMinutes(toMinutes), null), Now);

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void Should_refuse_a_backfill_of_a_job_without_a_schedule()
    {
        Do(new DefineJob(OnDemand(), true), T0);

        var refused = Refused(new BackfillJob(T0.AddMinutes(-5), T0, null), Now);

        Assert.Contains("no schedule", refused.Message);
    }

    [Fact]
    public void Should_refuse_a_second_backfill_while_the_first_is_draining()
    {
        Define();
        Backfill(T0, T0.AddMinutes(5));

        var refused = Refused(new BackfillJob(T0.AddMinutes(10), T0.AddMinutes(12), null), Now);

        Assert.Equal(RejectionKind.Conflict, refused.Kind);
        Assert.Contains("backlog", refused.Message);
    }

    [Fact]
    public void Should_record_the_rest_as_skipped_when_maxRuns_is_reached_during_a_backfill()
    {
        Define(d => d with { MaxRuns = 2 });
        Backfill(T0, T0.AddMinutes(5));
        Finish(InFlight(), RunStatus.Succeeded, Now.AddSeconds(1));

        var events = Finish(InFlight(), RunStatus.Succeeded, Now.AddSeconds(2));

        var skipped = Single<RunsSkipped>(events);
        Assert.Equal((RunTrigger.Backfill, T0.AddMinutes(2), 3, JobDecider.ReasonRunLimit), (skipped.Trigger, skipped.First, skipped.Count, skipped.Reason));
        Assert.Null(State.Backlog);
    }

    [Fact]
    public void Should_hold_a_backfill_while_paused_and_run_it_on_resume()
    {
        Define();
        Do(new PauseJob("maintenance"), Now);

        Assert.Empty(Backfill(T0, T0.AddMinutes(2)).OfType<RunDispatched>());
        var resumed = Do(new ResumeJob(), Now.AddSeconds(1));

        Assert.Equal(RunTrigger.Backfill, Single<RunDispatched>(resumed).Trigger);
    }

    [Fact]
    public void Should_read_a_catch_up_backlog_stored_before_backfills_as_a_catch_up()
    {
        var stored = JsonSerializer.Deserialize<CatchUpQueued>("""{"first":"2026-11-22T12:00:00+00:00","through":"2026-11-22T12:02:00+00:00","count":3,"at":"2026-11-22T13:00:00+00:00"}""", CoreJson.Options)!;
        var backlog = JsonSerializer.Deserialize<CatchUpBacklog>("""{"next":"2026-11-22T12:00:00+00:00","through":"2026-11-22T12:02:00+00:00"}""", CoreJson.Options)!;

        Assert.Null(stored.Trigger);
        Assert.Equal(RunTrigger.CatchUp, backlog.RunsAs);
        Assert.DoesNotContain("trigger", JsonSerializer.Serialize(stored, CoreJson.Options));
    }
}
