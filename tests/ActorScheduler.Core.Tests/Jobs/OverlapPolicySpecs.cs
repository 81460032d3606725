using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// The overlap policies beyond skip, bufferOne and allow: bufferAll (every occurrence waits, in order, up to the cap),
/// cancelOther (the running run is asked to stop; the new one starts when it has ended), terminateOther (it starts at
/// once) with replace as its older name, and a manual trigger that names its own policy.
/// </summary>
public sealed class OverlapPolicySpecs : JobSpecification
{
    private void Define(OverlapPolicy overlap) => Do(new DefineJob(EveryMinute(d => d with { Overlap = overlap }), true), T0);

    private RunRecord StartFirst()
    {
        Wake(T0.AddMinutes(1));
        var first = InFlight();
        Start(first, T0.AddMinutes(1));
        return first;
    }

    /// <summary>bufferAll with a run in flight and the occurrences at +2 and +3 minutes waiting behind it.</summary>
    private void TwoWaiting()
    {
        Define(OverlapPolicy.BufferAll);
        StartFirst();
        Wake(T0.AddMinutes(2));
        Wake(T0.AddMinutes(3));
    }

    [Fact]
    public void Should_run_every_occurrence_in_order_when_overlap_is_bufferAll()
    {
        Define(OverlapPolicy.BufferAll);
        StartFirst();
        Assert.Single(Wake(T0.AddMinutes(2)).OfType<RunBuffered>());
        Assert.Single(Wake(T0.AddMinutes(3)).OfType<RunBuffered>());
        Assert.Equal(2, State.Waiting);

        var ran = new List<DateTimeOffset>();
        var now = T0.AddMinutes(3).AddSeconds(1);
        while (State.InFlight.Count > 0)
            ran.AddRange(Finish(InFlight(), RunStatus.Succeeded, now).OfType<RunDispatched>().Select(d => d.ScheduledFor));

        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(3)], ran);
        Assert.Equal((0, (int?)null), (State.Waiting, State.Queued?.Count));
    }

    [Fact]
    public void Should_skip_with_the_cap_in_the_reason_when_bufferAll_holds_as_many_as_runs_may_be_in_flight()
    {
        Limits = new JobLimits(MaxRunsInFlight: 2, MaxChainDepth: 32);
        TwoWaiting();

        var skipped = Single<RunsSkipped>(Wake(T0.AddMinutes(4)));

        Assert.Equal((T0.AddMinutes(4), OverlapDecision.SkippedQueueFull(2)), (skipped.First, skipped.Reason));
        Assert.Equal(2, State.Waiting);
    }

    [Fact]
    public void Should_drop_one_waiting_run_and_keep_the_others_in_order_when_it_is_canceled()
    {
        TwoWaiting();
        Wake(T0.AddMinutes(4));
        var middle = State.WaitingRuns.ElementAt(1);

        Single<DeferredRunDropped>(Do(new CancelRun(middle.RunId, "not needed"), T0.AddMinutes(4)));

        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(4)], State.WaitingRuns.Select(r => r.ScheduledFor));
    }

    [Fact]
    public void Should_drop_every_waiting_run_when_the_job_is_canceled()
    {
        TwoWaiting();

        Do(new CancelJob("done"), T0.AddMinutes(3));

        Assert.Equal((0, (int?)null), (State.Waiting, State.Queued?.Count));
    }

    [Fact]
    public void Should_ask_the_running_run_to_stop_and_start_the_new_one_once_it_ends_when_overlap_is_cancelOther()
    {
        Define(OverlapPolicy.CancelOther);
        var old = StartFirst();

        var events = Wake(T0.AddMinutes(2));

        Assert.Equal(old.RunId, Single<RunCancelRequested>(events).RunId);
        Assert.Empty(events.OfType<RunDispatched>());
        Assert.Equal(T0.AddMinutes(2), Single<RunBuffered>(events).ScheduledFor);

        var after = Finish(old, RunStatus.Canceled, T0.AddMinutes(2).AddSeconds(5));

        Assert.Equal(T0.AddMinutes(2), Single<RunDispatched>(after).ScheduledFor);
        Assert.Empty(State.Retries);
    }

    [Fact]
    public void Should_run_only_the_newest_occurrence_when_cancelOther_occurrences_come_while_the_old_run_stops()
    {
        Define(OverlapPolicy.CancelOther);
        var old = StartFirst();
        Wake(T0.AddMinutes(2));

        var events = Wake(T0.AddMinutes(3));

        Assert.Equal(OverlapDecision.ReplacedWhileWaiting, Single<DeferredRunDropped>(events).Reason);
        Assert.Empty(events.OfType<RunCancelRequested>()); // asked once already
        Assert.Equal((1, T0.AddMinutes(3)), (State.Waiting, State.Buffered?.ScheduledFor));
        Assert.Equal(T0.AddMinutes(3), Single<RunDispatched>(Finish(old, RunStatus.Canceled, T0.AddMinutes(3).AddSeconds(1))).ScheduledFor);
    }

    [Theory]
    [InlineData(OverlapPolicy.TerminateOther)]
    [InlineData(OverlapPolicy.Replace)]
    public void Should_ask_the_running_run_to_stop_and_start_the_new_one_at_once_when_overlap_is_terminateOther(OverlapPolicy overlap)
    {
        Define(overlap);
        var old = StartFirst();

        var events = Wake(T0.AddMinutes(2));

        Assert.Equal(old.RunId, Single<RunCancelRequested>(events).RunId);
        Assert.Contains("terminateOther", Single<RunCancelRequested>(events).Reason);
        Assert.Equal(T0.AddMinutes(2), Single<RunDispatched>(events).ScheduledFor);
    }

    [Fact]
    public void Should_run_beside_the_running_run_when_a_manual_trigger_names_overlap_allow()
    {
        Define(OverlapPolicy.Skip);
        StartFirst();
        Assert.Equal(RejectionKind.Conflict, Refused(new TriggerJob(RunTrigger.Manual, null, "api"), T0.AddMinutes(1)).Kind);

        var events = Do(new TriggerJob(RunTrigger.Manual, null, "api", Overlap: OverlapPolicy.Allow), T0.AddMinutes(1));

        Assert.Equal(RunTrigger.Manual, Single<RunDispatched>(events).Trigger);
        Assert.Equal(2, State.InFlight.Count);
        Assert.Equal(OverlapPolicy.Skip, State.Definition.Overlap);
    }

    [Fact]
    public void Should_buffer_a_manual_run_when_its_trigger_names_bufferAll_on_a_skip_job()
    {
        Define(OverlapPolicy.Skip);
        StartFirst();

        var events = Do(new TriggerJob(RunTrigger.Manual, JsonDocument.Parse("1").RootElement, "api", Overlap: OverlapPolicy.BufferAll), T0.AddMinutes(1));

        Assert.Equal(RunTrigger.Manual, Single<RunBuffered>(events).Trigger);
    }

    [Fact]
    public void Should_give_the_same_state_when_a_bufferAll_history_is_replayed()
    {
        var events = new List<JobEvent>();
        events.AddRange(Do(new DefineJob(EveryMinute(d => d with { Overlap = OverlapPolicy.BufferAll }), true), T0));
        events.AddRange(Wake(T0.AddMinutes(1)));
        events.AddRange(Wake(T0.AddMinutes(2)));
        events.AddRange(Wake(T0.AddMinutes(3)));
        events.AddRange(Finish(InFlight(), RunStatus.Succeeded, T0.AddMinutes(3).AddSeconds(1)));

        var replayed = events.Aggregate(JobState.Empty(Id), (s, e) => s.Apply(e));

        Assert.Equal(Json(State), Json(replayed));
        Assert.Equal(1, replayed.Waiting);
    }
}
