using System.Text.Json;
using ActorScheduler.Core.Policies;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// The events one decision emits, applied as they are added, so each step of a decision sees the state the
/// previous steps left (a retry just dispatched counts as in flight for the overlap check that follows).
/// </summary>
internal sealed class EventLog(JobState state, DateTimeOffset now, JobLimits? limits = null)
{
    public JobLimits Limits { get; } = limits ?? JobLimits.Default;

    private readonly List<JobEvent> _events = [];

    public JobState State { get; private set; } = state;

    // The state before this decision: runs in flight there have left the job (a worker may hold them).
    private readonly JobState _before = state;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The events so far (a copy: adding more later does not change it) and the state they lead to.</summary>
    public Decision Decision => new Accepted(_events.ToArray()) { After = State };

    public void Add(JobEvent @event)
    {
        _events.Add(@event);
        State = State.Apply(@event);
    }

    public void Skip(RunTrigger trigger, OccurrenceRange range, string reason)
    {
        if (!range.IsEmpty)
            Add(new RunsSkipped(trigger, range.First, range.Last, range.Count, range.AtLeast, reason, Now));
    }

    public void Dispatch(RunId runId, int attempt, RunTrigger trigger, DateTimeOffset scheduledFor, JsonElement? data, RunId? retryOf, int chainDepth = 0) =>
        Add(new RunDispatched(runId, attempt, trigger, scheduledFor, State.FencingToken + 1, data, retryOf, Now, chainDepth));

    /// <summary>
    /// Carries out an overlap verdict for a new run due at <paramref name="scheduledFor"/>; a new run beyond the
    /// job's cap on runs in flight is skipped and recorded instead.
    /// </summary>
    public void StartOrDefer(OverlapAction action, string? reason, RunTrigger trigger, DateTimeOffset scheduledFor, JsonElement? data, int chainDepth = 0)
    {
        var once = new OccurrenceRange(scheduledFor, scheduledFor, 1, false);
        switch (action)
        {
            case OverlapAction.Skip:
                Skip(trigger, once, reason!);
                return;
            case OverlapAction.Buffer:
                Add(new RunBuffered(State.NewRunId(), trigger, scheduledFor, data, Now, chainDepth));
                return;
            case OverlapAction.ReplaceRunning:
                foreach (var run in State.InFlight)
                    CancelRun(run, "replaced by a newer run (overlap: terminateOther)");
                break;
            case OverlapAction.CancelThenStart:
                foreach (var run in State.InFlight)
                    CancelRun(run, "replaced by a newer run (overlap: cancelOther)");
                if (State.InFlight.IsEmpty)
                    break;
                // The newest occurrence is the one to run: an older one still waiting for the canceled runs gives way.
                foreach (var waiting in State.WaitingRuns)
                    Add(new DeferredRunDropped(waiting.RunId, waiting.Trigger, waiting.ScheduledFor, OverlapDecision.ReplacedWhileWaiting, Now));
                Add(new RunBuffered(State.NewRunId(), trigger, scheduledFor, data, Now, chainDepth));
                return;
        }
        if (State.InFlight.Count >= Limits.MaxRunsInFlight)
            Skip(trigger, once, JobDecider.ReasonRunsInFlight(Limits));
        else
            Dispatch(State.NewRunId(), 1, trigger, scheduledFor, data, null, chainDepth);
    }

    /// <summary>
    /// The run is asked to stop, pending or running: it stays in flight until its worker says the process ended, or
    /// its dispatcher that it never reached a worker. A pending run may have a process already (the worker's start
    /// report is on its way), so ending it here could leave that process behind and let a later run overlap it.
    /// Only a run dispatched by this very decision, which has not left the job yet, ends at once.
    /// </summary>
    public void CancelRun(RunRecord run, string? reason)
    {
        if (!_before.InFlight.Exists(r => r.RunId == run.RunId))
            Add(new RunFinished(run.RunId, RunStatus.Canceled, null, null, reason ?? "canceled", null, Now));
        else if (!run.CancelRequested)
            Add(new RunCancelRequested(run.RunId, reason, Now));
    }

    /// <summary>Once maxRuns runs exist, no further occurrence will come.</summary>
    public void StopScheduleAtRunLimit()
    {
        if (State.RunLimitReached && State.NextDueAt is not null)
            Add(new ScheduleAdvanced(null, Now));
    }
}
