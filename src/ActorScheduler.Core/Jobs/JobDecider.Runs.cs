using ActorScheduler.Core.Policies;

namespace ActorScheduler.Core.Jobs;

public static partial class JobDecider
{
    /// <summary>
    /// Time has come: start due retries, then settle the due occurrences through the misfire policy, the
    /// overlap policy and the run limit, and move the schedule on.
    /// </summary>
    private static Decision Wake(JobState state, DateTimeOffset now, JobLimits limits)
    {
        var events = new EventLog(state, now, limits);
        foreach (var retry in state.Retries.Where(r => r.NotBefore <= now))
            events.Dispatch(retry.RunId, retry.Attempt, RunTrigger.Retry, retry.ScheduledFor, retry.Data, retry.RetryOf, retry.ChainDepth);

        if (state.Enabled && state.NextDueAt is { } due && due <= now)
        {
            var plan = Plan(state);
            var verdict = MisfireDecision.Decide(state.Definition.EffectiveMisfire, plan, due, now);
            foreach (var skipped in verdict.Skipped)
                events.Skip(RunTrigger.Schedule, skipped.Range, skipped.Reason);
            if (verdict.RunNow is { } occurrence)
                RunOccurrence(events, verdict, occurrence);
            events.Add(new ScheduleAdvanced(plan.NextAfter(verdict.HandledThrough ?? due, events.State.RunCount), now));
            events.StopScheduleAtRunLimit();
        }
        DrainDeferred(events);
        return events.Decision;
    }

    private static void RunOccurrence(EventLog events, MisfireDecision verdict, DateTimeOffset occurrence)
    {
        var trigger = verdict.IsCatchUp ? RunTrigger.CatchUp : RunTrigger.Schedule;
        var state = events.State;
        if (state.RunLimitReached)
        {
            events.Skip(trigger, new(occurrence, occurrence, 1, false), ReasonRunLimit);
            return;
        }
        if (!verdict.Backlog.IsEmpty && state.Busy > 0)
        {
            // fireAll while a run is in flight: the whole catch-up waits its turn in the backlog. The backlog is
            // one cursor; a second catch-up cannot join one that is still draining without re-running what
            // lies between them, so it is recorded as skipped instead.
            var whole = verdict.Backlog with { First = occurrence, Count = verdict.Backlog.Count + 1 };
            if (state.Backlog is null)
                events.Add(new CatchUpQueued(whole.First, whole.Last, whole.Count, events.Now));
            else
                events.Skip(trigger, whole, ReasonBacklogBusy);
            return;
        }
        var (action, reason) = OverlapDecision.Decide(state.Definition.Overlap, state.Busy, state.Waiting, events.Limits.MaxRunsInFlight);
        events.StartOrDefer(action, reason, trigger, occurrence, state.Definition.Data);
        if (!verdict.Backlog.IsEmpty)
            events.Add(new CatchUpQueued(verdict.Backlog.First, verdict.Backlog.Last, verdict.Backlog.Count, events.Now));
    }

    private static Decision Report(JobState state, RunReport report, DateTimeOffset now, JobLimits limits)
    {
        var run = state.InFlight.Find(r => r.RunId == report.RunId);
        if (run is null || run.FencingToken != report.FencingToken)
            return Decision.Stale(run is null
                ? $"Run '{report.RunId}' is not in flight; the report is stale."
                : $"Run '{report.RunId}' has fencing token {run.FencingToken}, not {report.FencingToken}; the report is stale.");
        var events = new EventLog(state, now, limits);
        switch (report)
        {
            case ReportRunStarted when run is { Status: RunStatus.Pending, CancelRequested: true }:
                // The worker stops the process on this answer and reports its end, which ends the run.
                return Decision.Stale($"Run '{run.RunId}' was canceled before it started; the process is to stop.");
            case ReportRunStarted started when run.Status == RunStatus.Pending:
                events.Add(new RunStarted(run.RunId, started.Worker, now));
                break;
            case ReportRunStarted started when run.Worker != started.Worker:
                return Decision.Stale($"Run '{run.RunId}' already runs on {run.Worker}; a second start on {started.Worker} is refused.");
            case ReportRunProgress progress:
                events.Add(new RunProgressed(run.RunId, progress.Current, progress.Max, now));
                break;
            case ReportRunFinished finished when !finished.Outcome.IsFinished():
                return Decision.Invalid($"outcome: '{finished.Outcome}' is not a finished run status.");
            case ReportRunFinished finished:
                // A probe is one attempt: its outcome alone decides whether the breaker closes.
                var retryAt = finished.Outcome.IsFailure() && !run.CancelRequested && !state.Canceled && run.Trigger != RunTrigger.Probe
                    ? RetryPolicy.NextAttemptAt(state.Definition.EffectiveRetry, run.Attempt, now)
                    : null;
                events.Add(new RunFinished(run.RunId, finished.Outcome, finished.ExitCode, finished.Output, finished.Error, retryAt, now,
                    run.Worker is null ? finished.Worker : null, run.StartedAt is null ? finished.StartedAt : null,
                    LastResult.Emitted(finished.Result) is null ? null : finished.Result));
                Breaker(events, run, finished.Outcome, retryAt is not null);
                DrainDeferred(events);
                break;
        }
        return events.Decision;
    }

    private static Decision Redispatch(JobState state, RedispatchRun c, DateTimeOffset now)
    {
        var run = state.InFlight.Find(r => r.RunId == c.RunId);
        if (run is not { Status: RunStatus.Pending })
            return Decision.Stale($"Run '{c.RunId}' is not pending; only a pending run is sent again.");
        return Decision.Accept(new RunRedispatched(run.RunId, state.FencingToken + 1, now));
    }

    /// <summary>When nothing is in flight, start what waits: the fireAll backlog first (oldest), then the buffer.</summary>
    private static void DrainDeferred(EventLog events)
    {
        var state = events.State;
        if (state.Busy > 0 || state.Paused || state.Canceled)
            return;
        if (state.Backlog is { } backlog)
        {
            if (state.RunLimitReached)
            {
                events.Skip(backlog.RunsAs, Plan(state).Range(backlog.Next, backlog.Through), ReasonRunLimit);
                return;
            }
            events.Dispatch(state.NewRunId(), 1, backlog.RunsAs, backlog.Next, state.Definition.Data, null);
            // The backlog was counted once, when it was queued: what is left is one less, found without a recount
            // (a snapshot older than that count has none, and is counted this once).
            var remaining = backlog.Remaining > 0 ? backlog.Remaining - 1 : Plan(state).Range(backlog.Next, backlog.Through).Count - 1;
            if (remaining > 0 && Plan(state).NextAfter(backlog.Next, 0) is { } next && next <= backlog.Through)
                events.Add(new CatchUpQueued(next, backlog.Through, remaining, events.Now, backlog.Trigger));
            events.StopScheduleAtRunLimit();
        }
        else if (state.Buffered is { } buffered)
        {
            if (state.RunLimitReached)
            {
                // No run will end to start the next: every waiting run is dropped now.
                foreach (var waiting in state.WaitingRuns)
                    events.Add(new DeferredRunDropped(waiting.RunId, waiting.Trigger, waiting.ScheduledFor, ReasonRunLimit, events.Now));
            }
            else
                events.Dispatch(buffered.RunId, 1, buffered.Trigger, buffered.ScheduledFor, buffered.Data, null, buffered.ChainDepth);
            events.StopScheduleAtRunLimit();
        }
    }
}
