using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// Describe: occurrences missed by the catch-up window and skipped by overlap are counted from the journal's
/// RunsSkipped ranges; the next 10 times and the 10 most recent runs come from the state.
/// </summary>
public sealed class DescribeSpecs : JobSpecification
{
    [Fact]
    public void Should_count_occurrences_older_than_the_catch_up_window_when_the_job_wakes_late()
    {
        var misfire = new MisfireSpec { Policy = MisfirePolicy.FireOnce, CatchUpWindow = TimeSpan.FromMinutes(5) };
        Do(new DefineJob(EveryMinute(d => d with { Misfire = misfire }), true), T0);

        var events = Wake(T0.AddMinutes(60).AddSeconds(30));

        var missed = events.OfType<RunsSkipped>().Where(k => k.Reason == MisfireDecision.OutsideCatchUpWindow).Sum(k => k.Count);
        Assert.True(missed > 0, "an hour late with a five-minute window misses occurrences");
        Assert.Equal(missed, JobDescription.From(State).MissedByCatchUpWindow);
        Assert.Equal(0, JobDescription.From(State).SkippedByOverlap);
    }

    [Fact]
    public void Should_count_occurrences_skipped_by_overlap_but_not_other_skips()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        Wake(T0.AddMinutes(1));
        Wake(T0.AddMinutes(2));
        Wake(T0.AddMinutes(3));
        Do(new PauseJob("maintenance"), T0.AddMinutes(3).AddSeconds(1));
        Do(new TriggerJob(RunTrigger.Event, null, "event:go"), T0.AddMinutes(3).AddSeconds(2));

        var description = JobDescription.From(State);

        Assert.Equal((2L, 0L), (description.SkippedByOverlap, description.MissedByCatchUpWindow));
    }

    [Fact]
    public void Should_give_the_next_ten_times_and_the_ten_most_recent_runs_newest_first()
    {
        Do(new DefineJob(EveryMinute(), true), T0);
        for (var minute = 1; minute <= 12; minute++)
        {
            Wake(T0.AddMinutes(minute));
            Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(minute).AddSeconds(1));
        }

        var description = JobDescription.From(State);

        Assert.Equal(Enumerable.Range(13, 10).Select(m => T0.AddMinutes(m)), description.NextTimes);
        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(m => T0.AddMinutes(m)), description.RecentRuns.Select(r => r.ScheduledFor));
    }

    [Fact]
    public void Should_stop_the_next_times_at_the_run_limit()
    {
        Do(new DefineJob(EveryMinute(d => d with { MaxRuns = 3 }), true), T0);

        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3)], JobDescription.From(State).NextTimes);
    }

    [Fact]
    public void Should_give_no_next_times_when_the_job_runs_only_on_demand()
    {
        Do(new DefineJob(OnDemand(), true), T0);

        Assert.Empty(JobDescription.From(State).NextTimes);
    }

    [Fact]
    public void Should_give_the_same_counts_when_the_events_are_replayed()
    {
        var events = new List<JobEvent>();
        events.AddRange(Do(new DefineJob(EveryMinute(), true), T0));
        events.AddRange(Wake(T0.AddMinutes(1)));
        events.AddRange(Wake(T0.AddMinutes(2)));

        var replayed = events.Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));

        Assert.Equal(Json(State), Json(replayed));
        Assert.Equal(1, replayed.SkippedByOverlap);
    }
}
