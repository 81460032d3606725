using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>Which runs a job's events changed, for the runs read model (<see cref="RunChanges"/>).</summary>
public sealed class RunChangesSpecs : JobSpecification
{
    [Fact]
    public void Should_name_nothing_when_the_events_touch_no_run()
    {
        var events = Do(new DefineJob(EveryMinute(), true), T0);

        Assert.Empty(RunChanges.Of(State, events));
    }

    [Fact]
    public void Should_name_a_dispatched_run_as_pending_without_output()
    {
        Do(new DefineJob(EveryMinute(), true), T0);

        var events = Wake(T0.AddMinutes(1));

        var changed = Assert.Single(RunChanges.Of(State, events));
        Assert.Equal((InFlight().RunId, RunStatus.Pending, (string?)null), (changed.Run.RunId, changed.Run.Status, changed.Output));
    }

    [Fact]
    public void Should_name_a_finished_run_as_the_state_holds_it_with_the_output_its_finish_recorded()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var run = InFlight();

        var events = Do(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Failed, 2, "out\n", "boom", "w1", T0), T0.AddSeconds(1));

        var changed = Assert.Single(RunChanges.Of(State, events));
        Assert.Equal(State.Recent[0], changed.Run);
        Assert.Equal(("out\n", "w1", "boom"), (changed.Output, changed.Run.Worker, changed.Run.Error));
    }

    [Fact]
    public void Should_name_each_run_once_with_its_latest_form_when_one_decision_changes_two_runs()
    {
        var retry = new RetrySpec { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) };
        Do(new DefineJob(OnDemand(d => d with { Retry = retry, Overlap = OverlapPolicy.BufferOne }), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var first = InFlight();
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0); // buffered behind the first

        // The first ends; the buffered one starts in the same decision.
        var events = Do(new ReportRunFinished(first.RunId, first.FencingToken, RunStatus.Succeeded, 0, "first"), T0.AddSeconds(1));

        var changed = RunChanges.Of(State, events);
        Assert.Equal([(first.RunId, RunStatus.Succeeded, "first"), (InFlight().RunId, RunStatus.Pending, null)],
            changed.Select(c => (c.Run.RunId, c.Run.Status, c.Output)));
    }

    [Fact]
    public void Should_name_a_run_once_when_several_of_the_events_touch_it()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var run = InFlight();
        var started = new RunStarted(run.RunId, "w1", T0.AddSeconds(1));
        var finished = new RunFinished(run.RunId, RunStatus.Succeeded, 0, "done", null, null, T0.AddSeconds(2));
        var after = State.Apply(started).Apply(finished);

        var changed = Assert.Single(RunChanges.Of(after, [started, finished]));

        Assert.Equal((RunStatus.Succeeded, "w1", "done"), (changed.Run.Status, changed.Run.Worker, changed.Output));
    }

    [Fact]
    public void Should_lend_no_output_to_a_finished_run_when_a_later_finish_of_it_was_ignored()
    {
        Do(new DefineJob(OnDemand(), true), T0);
        Do(new TriggerJob(RunTrigger.Manual, null, null), T0);
        var run = InFlight();
        Do(new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Succeeded, 0, "kept"), T0.AddSeconds(1));
        var stale = new RunFinished(run.RunId, RunStatus.Failed, 1, "stale", null, null, T0.AddSeconds(5));

        var changed = Assert.Single(RunChanges.Of(State.Apply(stale), [stale]));

        Assert.Equal((RunStatus.Succeeded, (string?)null), (changed.Run.Status, changed.Output));
    }
}
