using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// What keeps one job's work bounded whatever its definition says: a cap on its runs in flight, a limit on how many
/// triggered runs may follow one another, and a fireAll catch-up that is counted once and capped.
/// </summary>
public sealed class BoundedWorkSpecs : JobSpecification
{
    private static JobDefinition Concurrent() => OnDemand(d => d with { Overlap = OverlapPolicy.Allow });

    [Fact]
    public void Should_record_a_triggered_run_as_skipped_when_the_job_has_its_most_runs_in_flight()
    {
        Limits = JobLimits.Default with { MaxRunsInFlight = 2 };
        Do(new DefineJob(Concurrent(), true), T0);
        Do(new TriggerJob(RunTrigger.Event, null, "event:go"), T0);
        Do(new TriggerJob(RunTrigger.Event, null, "event:go"), T0);

        var third = Do(new TriggerJob(RunTrigger.Event, null, "event:go"), T0.AddSeconds(1));

        var skipped = Single<RunsSkipped>(third);
        Assert.Contains("runs in flight", skipped.Reason);
        Assert.Equal(2, State.InFlight.Count);
    }

    [Fact]
    public void Should_refuse_a_manual_trigger_as_a_conflict_when_the_job_has_its_most_runs_in_flight()
    {
        Limits = JobLimits.Default with { MaxRunsInFlight = 1 };
        Do(new DefineJob(Concurrent(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), T0);

        var refused = Refused(new TriggerJob(RunTrigger.Manual, null, "api"), T0.AddSeconds(1));

        Assert.Equal(RejectionKind.Conflict, refused.Kind);
        Assert.Contains("runs in flight", refused.Message);
    }

    [Fact]
    public void Should_skip_a_scheduled_occurrence_when_overlap_allow_has_filled_the_cap()
    {
        Limits = JobLimits.Default with { MaxRunsInFlight = 2 };
        Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.Allow }), true), T0);
        Wake(T0.AddMinutes(1));
        Wake(T0.AddMinutes(2));

        var third = Wake(T0.AddMinutes(3));

        Assert.Contains("runs in flight", Single<RunsSkipped>(third).Reason);
        Assert.Empty(third.OfType<RunDispatched>());
        Assert.Equal(T0.AddMinutes(4), State.NextDueAt);
    }

    [Fact]
    public void Should_refuse_and_record_a_trigger_deeper_than_the_chain_limit()
    {
        Limits = JobLimits.Default with { MaxChainDepth = 3 };
        Do(new DefineJob(OnDemand(), true), T0);

        var refused = Do(new TriggerJob(RunTrigger.Event, null, "job:report", ChainDepth: 4), T0);

        var skipped = Single<RunsSkipped>(refused);
        Assert.Contains("chain", skipped.Reason);
        Assert.Empty(State.InFlight);
    }

    [Fact]
    public void Should_carry_the_chain_depth_into_the_run_and_its_retries()
    {
        Do(new DefineJob(OnDemand(d => d with { Retry = new RetrySpec { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) } }), true), T0);

        var dispatched = Single<RunDispatched>(Do(new TriggerJob(RunTrigger.Event, null, "job:extract", ChainDepth: 5), T0));
        Finish(InFlight(), RunStatus.Failed, T0.AddSeconds(1));
        var retry = Single<RunDispatched>(Wake(T0.AddSeconds(2)));

        Assert.Equal(5, dispatched.ChainDepth);
        Assert.Equal(5, retry.ChainDepth);
        Assert.Equal(5, InFlight().ChainDepth);
    }

    [Fact]
    public void Should_count_a_fireAll_backlog_once_and_count_down_as_it_drains()
    {
        Do(new DefineJob(EveryMinute(d => d with { Misfire = new MisfireSpec { Policy = MisfirePolicy.FireAll } }), true), T0);
        Wake(T0.AddMinutes(5).AddSeconds(30)); // five missed: the first runs, four queue
        Assert.Equal(4, State.Backlog!.Remaining);

        var counts = new List<int>();
        while (State.InFlight.Count > 0)
        {
            var queued = Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(6)).OfType<CatchUpQueued>().SingleOrDefault();
            counts.Add(queued?.Count ?? 0);
        }

        Assert.Equal([3, 2, 1, 0, 0], counts);
        Assert.Null(State.Backlog);
    }

    [Fact]
    public void Should_drain_a_backlog_from_a_snapshot_without_its_count()
    {
        Do(new DefineJob(EveryMinute(d => d with { Misfire = new MisfireSpec { Policy = MisfirePolicy.FireAll } }), true), T0);
        Wake(T0.AddMinutes(3).AddSeconds(30));
        var legacy = State with { Backlog = State.Backlog! with { Remaining = 0 } };

        var events = JobDecider.Decide(legacy, new ReportRunFinished(legacy.InFlight[0].RunId, legacy.InFlight[0].FencingToken, RunStatus.Succeeded), T0.AddMinutes(4));

        var queued = Assert.Single(Assert.IsType<Accepted>(events).Events.OfType<CatchUpQueued>());
        Assert.Equal(1, queued.Count);
    }
}
