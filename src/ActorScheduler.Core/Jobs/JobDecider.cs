using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Policies;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// Decide(state, command, now): which events a command causes, or why it is refused. Pure: the time comes in
/// as <paramref name="now"/>, and a refused command produces no events at all.
/// </summary>
public static partial class JobDecider
{
    public const string ReasonPaused = "paused";
    public const string ReasonDisabled = "disabled";
    public const string ReasonRescheduled = "rescheduled past it";
    public const string ReasonRunLimit = "maxRuns reached";
    public const string ReasonCanceled = "canceled";
    public const string ReasonBacklogBusy = "misfire: an earlier catch-up backlog is still draining";

    public static Decision Decide(JobState state, JobCommand command, DateTimeOffset now) => Decide(state, command, now, JobLimits.Default);

    /// <param name="limits">The node's bounds on every job (runs in flight, trigger chain depth).</param>
    public static Decision Decide(JobState state, JobCommand command, DateTimeOffset now, JobLimits limits)
    {
        if (Transitions.Check(state, command) is { } verdict)
            return verdict;
        var decision = DecideAllowed(state, command, now, limits);
        // The audit trail: every event a person's (or a client's) command causes names who asked.
        return command.By is { } by && decision is Accepted { Events.Count: > 0 } accepted
            ? new Accepted(accepted.Events.Select(e => e.By is null ? e with { By = by } : e).ToList())
            : decision;
    }

    private static Decision DecideAllowed(JobState state, JobCommand command, DateTimeOffset now, JobLimits limits)
    {
        return command switch
        {
            DefineJob c => Define(state, c, now),
            EnableJob => state.Enabled ? Decision.Accept() : Decision.Accept(new JobEnabled(FirstDue(state, state.Definition with { Enabled = true }, state.Anchor, now), now)),
            DisableJob => state.Enabled ? Decision.Accept(new JobDisabled(now)) : Decision.Accept(),
            PauseJob c => state.Paused && state.PausedReason == c.Reason ? Decision.Accept() : Decision.Accept(new JobPaused(c.Reason, now)),
            ResumeJob => Resume(state, now, limits),
            RescheduleJob c => Reschedule(state, c, now),
            TriggerJob c => Trigger(state, c, now, limits),
            BackfillJob c => Backfill(state, c, now, limits),
            WakeUp c => c.Generation != state.Generation ? Decision.Accept() : WakeWithEdit(state, now, limits),
            DropEdit => DropPendingEdit(state, now),
            CancelJob c => CancelWholeJob(state, c, now),
            CancelRun c => CancelOneRun(state, c, now),
            RunReport c => Report(state, c, now, limits),
            RedispatchRun c => Redispatch(state, c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown job command."),
        };
    }

    private static Decision Define(JobState state, DefineJob c, DateTimeOffset now)
    {
        var definition = c.Definition with { Id = c.Definition.Id ?? state.Id.Value };
        if (definition.Id != state.Id.Value)
            return Decision.Invalid($"id: '{definition.Id}' does not match the job addressed ('{state.Id}').");
        var errors = JobDefinitionValidator.Validate(definition);
        if (errors.Count > 0)
            return Decision.Invalid(string.Join(" ", errors));
        if (c.EffectiveAt is { } effectiveAt && effectiveAt > now)
            return ScheduleEdit(state, definition, effectiveAt, now);
        var changed = state.Exists ? DefinitionChanges.Between(state.Definition, definition) : null;
        return Decision.Accept(new JobDefined(definition, !state.Exists, FirstDue(state, definition, now, now), now, changed));
    }

    /// <summary>
    /// The first occurrence of a definition taking effect at <paramref name="anchor"/>, looking from
    /// <paramref name="now"/>. A one-off <c>at</c> already past is due at once (the misfire policy then decides).
    /// </summary>
    private static DateTimeOffset? FirstDue(JobState state, JobDefinition definition, DateTimeOffset anchor, DateTimeOffset now)
    {
        if (!definition.Enabled || !definition.HasSchedule)
            return null;
        // A new job whose one-off time has passed is due at once (the misfire policy judges how late); a
        // replaced definition does not re-run an occurrence that is already behind it.
        if (definition.Schedule?.At is { } at && at <= now)
            return state.Exists ? null : at;
        return new JobPlan(definition, anchor).NextAfter(now, state.RunCount);
    }

    private static Decision Resume(JobState state, DateTimeOffset now, JobLimits limits)
    {
        var events = new EventLog(state, now, limits);
        ResumeInto(events, reason: null);
        DrainDeferred(events);
        return events.Decision;
    }

    /// <summary>Resumes: the occurrences missed while paused are recorded as skipped, and the schedule goes on from now.</summary>
    private static void ResumeInto(EventLog events, string? reason)
    {
        var (state, now) = (events.State, events.Now);
        if (state.NextDueAt is { } due && due <= now)
            events.Skip(RunTrigger.Schedule, Plan(state).Range(due, now), ReasonPaused);
        var next = !state.Enabled ? null
            : state.NextDueAt is { } pending && pending > now ? pending
            : Plan(state).NextAfter(now, state.RunCount);
        events.Add(new JobResumed(next, now, reason));
    }

    private static Decision Reschedule(JobState state, RescheduleJob c, DateTimeOffset now)
    {
        if (c.At < now)
            return Decision.Invalid($"at: {c.At:O} is in the past; give a time from now on.");
        if (!state.Enabled)
            return Decision.Conflict($"Cannot reschedule job '{state.Id}': it is disabled; enable it first.");
        if (state.RunLimitReached)
            return Decision.Conflict($"Cannot reschedule job '{state.Id}': its maxRuns ({state.Definition.MaxRuns}) is reached.");
        var events = new EventLog(state, now);
        if (state.NextDueAt is { } due && due < c.At && Plan(state).Range(due, c.At.AddTicks(-1)) is { IsEmpty: false } passed)
            events.Skip(RunTrigger.Schedule, passed, ReasonRescheduled);
        events.Add(new JobRescheduled(c.At, now));
        return events.Decision;
    }

    private static Decision Trigger(JobState state, TriggerJob c, DateTimeOffset now, JobLimits limits)
    {
        var manual = c.Kind == RunTrigger.Manual;
        if (state.RunLimitReached)
            return Decision.Conflict($"Job '{state.Id}' has reached its maxRuns ({state.Definition.MaxRuns}).");
        if (manual && state.InFlight.Count >= limits.MaxRunsInFlight)
            return Decision.Conflict($"Job '{state.Id}' has {state.InFlight.Count} runs in flight, the most a job may have ({ReasonRunsInFlight(limits)}).");
        var events = new EventLog(state, now, limits);
        if (!manual && HasFanIn(state.Definition))
            return TriggerWithFanIn(events, c);
        if (manual && c.ChainDepth <= limits.MaxChainDepth
            && OverlapDecision.Decide(c.Overlap ?? state.Definition.Overlap, state.Busy, state.Waiting, limits.MaxRunsInFlight) is (OverlapAction.Skip, var reason))
            return Decision.Conflict($"Job '{state.Id}' is running and its overlap policy refuses another run ({reason}).");
        StartTriggered(events, c, c.Data);
        return events.Decision;
    }

    /// <summary>One triggered run: refused and recorded when the job is paused, disabled or the chain too deep; else per the overlap policy.</summary>
    private static void StartTriggered(EventLog events, TriggerJob c, System.Text.Json.JsonElement? data)
    {
        var (state, now, limits) = (events.State, events.Now, events.Limits);
        var manual = c.Kind == RunTrigger.Manual;
        var refusal = !manual && state.Paused ? ReasonPaused
            : !manual && !state.Enabled ? ReasonDisabled
            : c.ChainDepth > limits.MaxChainDepth ? ReasonChainDepth(c.ChainDepth, limits)
            : null;
        if (refusal is not null)
        {
            events.Skip(c.Kind, new OccurrenceRange(now, now, 1, false), refusal);
            return;
        }
        var (action, reason) = OverlapDecision.Decide(c.Overlap ?? state.Definition.Overlap, state.Busy, state.Waiting, limits.MaxRunsInFlight);
        events.StartOrDefer(action, reason, c.Kind, now, data, c.ChainDepth);
        events.StopScheduleAtRunLimit();
    }

    internal static string ReasonRunsInFlight(JobLimits limits) =>
        $"{limits.MaxRunsInFlight} runs in flight at most (actor-scheduler.scheduler.max-runs-in-flight)";

    private static string ReasonChainDepth(int depth, JobLimits limits) =>
        $"trigger chain too deep: {depth} triggered runs in a row, at most {limits.MaxChainDepth} (actor-scheduler.scheduler.max-chain-depth)";

    private static Decision CancelWholeJob(JobState state, CancelJob c, DateTimeOffset now)
    {
        var events = new EventLog(state, now);
        if (state.PendingEdit is { } edit)
            events.Add(new EditDropped(edit.EffectiveAt, "job canceled", now));
        events.Add(new JobCanceled(c.Reason, now));
        foreach (var run in state.InFlight)
            events.CancelRun(run, c.Reason ?? "job canceled");
        return events.Decision;
    }

    private static Decision CancelOneRun(JobState state, CancelRun c, DateTimeOffset now)
    {
        var events = new EventLog(state, now);
        if (state.InFlight.Find(r => r.RunId == c.RunId) is { } run)
            events.CancelRun(run, c.Reason);
        else if (state.Retries.Find(r => r.RunId == c.RunId || r.RetryOf == c.RunId) is { } retry)
            events.Add(new DeferredRunDropped(retry.RunId, retry.Trigger, retry.ScheduledFor, ReasonCanceled, now));
        else if (state.WaitingRuns.FirstOrDefault(r => r.RunId == c.RunId) is { } waiting)
            events.Add(new DeferredRunDropped(c.RunId, waiting.Trigger, waiting.ScheduledFor, ReasonCanceled, now));
        else if (state.FindRun(c.RunId) is null)
            return Decision.NotFound($"Run '{c.RunId}' does not exist.");
        return events.Decision;
    }

    internal static JobPlan Plan(JobState state) => new(state.Definition, state.Anchor);
}
