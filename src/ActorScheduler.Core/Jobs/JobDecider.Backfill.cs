using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Jobs;

public static partial class JobDecider
{
    public const string ReasonBackfillBacklogBusy = "a catch-up or backfill backlog is still draining";

    /// <summary>
    /// Backfill: the schedule's occurrences in [from, to), all in the past, run with trigger backfill.
    /// <list type="bullet">
    /// <item>No overlap given, <c>bufferOne</c> or <c>skip</c>: one after another through the catch-up backlog (the
    /// machinery of fireAll), the first at once when nothing is in flight, else after the runs in flight; <c>skip</c>
    /// refuses (409) while a run is in flight, as it refuses a manual trigger.</item>
    /// <item><c>allow</c>: every occurrence starts at once, beside whatever runs; refused (409) when they would not fit
    /// in the free places under max-runs-in-flight.</item>
    /// </list>
    /// At most the job's <c>misfire.maxCatchUp</c> occurrences (default 1,000) per backfill: more is refused (400)
    /// naming the count, so that nothing is queued that the caller did not see; split the range instead. The run limit
    /// (maxRuns) holds: what it stops is recorded as skipped, as for a catch-up.
    /// </summary>
    private static Decision Backfill(JobState state, BackfillJob c, DateTimeOffset now, JobLimits limits)
    {
        if (c.From >= c.To)
            return Decision.Invalid($"from: {c.From:O} must be before to ({c.To:O}).");
        if (c.To > now)
            return Decision.Invalid($"to: {c.To:O} is in the future; a backfill runs past occurrences only (to at most now, {now:O}).");
        if (c.Overlap is OverlapPolicy.Replace or OverlapPolicy.CancelOther or OverlapPolicy.TerminateOther)
            return Decision.Invalid($"overlap: '{CoreJson.WireName(c.Overlap.Value)}' does not apply to a backfill; use skip, bufferOne, bufferAll or allow.");
        var plan = Plan(state);
        if (!plan.HasSchedule)
            return Decision.Invalid($"Job '{state.Id}' has no schedule, so it has no occurrences to backfill.");
        var cap = state.Definition.EffectiveMisfire.EffectiveMaxCatchUp;
        var range = Occurrences(plan, c.From, c.To);
        if (range.IsEmpty)
            return Decision.Invalid($"from: the schedule has no occurrence in [{c.From:O}, {c.To:O}).");
        if (range.Count > cap)
            return Decision.Invalid($"to: [{c.From:O}, {c.To:O}) holds {(range.AtLeast ? "over " : "")}{range.Count:N0} occurrences, more than the {cap:N0} one backfill may queue (misfire.maxCatchUp); backfill a shorter range.");
        if (state.RunLimitReached)
            return Decision.Conflict($"Job '{state.Id}' has reached its maxRuns ({state.Definition.MaxRuns}).");
        return c.Overlap is OverlapPolicy.Allow ? BackfillAtOnce(state, plan, range, now, limits) : BackfillInTurn(state, c, range, now, limits);
    }

    private static Decision BackfillInTurn(JobState state, BackfillJob c, OccurrenceRange range, DateTimeOffset now, JobLimits limits)
    {
        if (state.Backlog is not null)
            return Decision.Conflict($"Job '{state.Id}' cannot queue a backfill: {ReasonBackfillBacklogBusy} (next {state.Backlog.Next:O}).");
        if (c.Overlap is OverlapPolicy.Skip && state.Busy > 0)
            return Decision.Conflict($"Job '{state.Id}' is running and the backfill's overlap policy skip refuses to queue beside it.");
        var events = new EventLog(state, now, limits);
        events.Add(new CatchUpQueued(range.First, range.Last, range.Count, now, RunTrigger.Backfill));
        DrainDeferred(events);
        return events.Decision;
    }

    private static Decision BackfillAtOnce(JobState state, JobPlan plan, OccurrenceRange range, DateTimeOffset now, JobLimits limits)
    {
        var free = limits.MaxRunsInFlight - state.InFlight.Count;
        if (range.Count > free)
            return Decision.Conflict($"Job '{state.Id}' cannot start {range.Count} backfill runs at once: {free} more may be in flight ({ReasonRunsInFlight(limits)}).");
        var events = new EventLog(state, now, limits);
        for (DateTimeOffset? at = range.First; at is { } occurrence && occurrence <= range.Last; at = plan.NextAfter(occurrence, 0))
        {
            if (events.State.RunLimitReached)
            {
                events.Skip(RunTrigger.Backfill, plan.Range(occurrence, range.Last), ReasonRunLimit);
                break;
            }
            events.Dispatch(events.State.NewRunId(), 1, RunTrigger.Backfill, occurrence, state.Definition.Data, null);
        }
        events.StopScheduleAtRunLimit();
        return events.Decision;
    }

    /// <summary>The occurrences at or after <paramref name="from"/> and strictly before <paramref name="to"/> (counted up to the range cap).</summary>
    private static OccurrenceRange Occurrences(JobPlan plan, DateTimeOffset from, DateTimeOffset to) =>
        plan.NextAfter(from.AddTicks(-1), 0) is { } first && first < to ? plan.Range(first, to.AddTicks(-1)) : OccurrenceRange.Empty;
}
