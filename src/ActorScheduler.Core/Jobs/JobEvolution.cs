using ActorScheduler.Core.Definitions;
using System.Collections.Immutable;

namespace ActorScheduler.Core.Jobs;

/// <summary>Apply(state, event): how each fact changes the state. Pure; the only times used are the events'.</summary>
internal static class JobEvolution
{
    public static JobState Apply(JobState s, JobEvent e)
    {
        var next = e switch
        {
            JobDefined d => s with
            {
                Exists = true, Definition = d.Definition with { Id = s.Id.Value }, Anchor = d.EffectiveAt ?? d.At, Canceled = false,
                NextDueAt = d.NextDueAt, Backlog = null, LastRunFailed = !d.Created && s.LastRunFailed,
                ProbeAt = d.Definition is { Enabled: true, OnFailure.ProbeAfter: not null } ? s.ProbeAt : null,
                // Arrived fan-in parts wait on only while the triggers they arrived for stay as they were.
                FanIn = SameTriggers(s.Definition.Triggers, d.Definition.Triggers) ? s.FanIn : null,
                // The dated edit that took effect is done; an immediate replacement leaves a pending one in place.
                PendingEdit = d.EffectiveAt is null ? s.PendingEdit : null,
            },
            JobEnabled en => s with { Definition = s.Definition with { Enabled = true }, NextDueAt = en.NextDueAt },
            JobDisabled => s with { Definition = s.Definition with { Enabled = false }, NextDueAt = null, Backlog = null, ProbeAt = null },
            JobPaused p => s with { Paused = true, PausedReason = p.Reason, PausedAt = p.At, PausedOnFailure = p.Failures is not null, ProbeAt = p.ProbeAt },
            JobResumed r => s with
            {
                Paused = false, PausedReason = null, PausedAt = null, NextDueAt = r.NextDueAt,
                PausedOnFailure = false, ProbeAt = null, ConsecutiveFailures = 0,
            },
            JobRescheduled r => s with { NextDueAt = r.DueAt },
            JobCanceled => s with
            {
                Canceled = true, Paused = false, PausedReason = null, PausedAt = null, PausedOnFailure = false, ProbeAt = null,
                NextDueAt = null, Backlog = null, Buffered = null, Queued = null, Retries = [],
            },
            JobRemoved r => JobState.Empty(s.Id) with
            {
                // One generation on, as the job's leaving bumps it when applied live: a replay lands on the same state.
                RunSequence = r.RunSequence, FencingToken = r.FencingToken, Generation = r.Generation + 1, Version = r.Version,
            },
            ScheduleAdvanced a => s with { NextDueAt = a.NextDueAt },
            RunsSkipped k => Skipped(k.Trigger == s.Backlog?.RunsAs && s.Backlog.Next == k.First ? s with { Backlog = null } : s, k),
            DeferredRunDropped x => WithoutWaiting(s, x.RunId) with { Retries = s.Retries.RemoveAll(r => r.RunId == x.RunId) },
            FanInArrived f => s with { FanIn = FanIn.Arrive(s, f) },
            EditScheduled x => s with { PendingEdit = new PendingEdit(x.Definition with { Id = s.Id.Value }, x.EffectiveAt, x.At, x.By) },
            EditDropped => s with { PendingEdit = null },
            CatchUpQueued q => s with { Backlog = new CatchUpBacklog(q.First, q.Through, q.Count, q.Trigger) },
            RunBuffered b => Buffered(s, new DeferredRun(b.RunId, b.Trigger, b.ScheduledFor, b.Data, ChainDepth: b.ChainDepth)) with
            {
                RunSequence = Math.Max(s.RunSequence, b.RunId.Sequence),
            },
            RunDispatched d => Dispatched(s, d),
            RunRedispatched r => Update(s, r.RunId, run => run with { FencingToken = r.FencingToken }) with
            {
                FencingToken = Math.Max(s.FencingToken, r.FencingToken),
            },
            RunStarted st => Update(s, st.RunId, r => r with { Status = RunStatus.Running, StartedAt = st.At, Worker = st.Worker }),
            RunProgressed p => Update(s, p.RunId, r => r with { ProgressCurrent = p.Current, ProgressMax = p.Max }),
            RunCancelRequested c => Update(s, c.RunId, r => r with { CancelRequested = true }),
            RunFinished f => Finished(s, f),
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown job event."),
        };
        // One copy for the bookkeeping every event does: the generation moves when the wake-up time does.
        return next with
        {
            Generation = next.NextWakeAt == s.NextWakeAt && next.Exists == s.Exists ? next.Generation : s.Generation + 1,
            Version = (e is JobRemoved removed ? removed.Version : s.Version) + 1,
            ChangedAt = e.At,
        };
    }

    private static bool SameTriggers(IReadOnlyList<TriggerSpec>? before, IReadOnlyList<TriggerSpec>? after) =>
        (before ?? []).Count == (after ?? []).Count
        && (before ?? []).Zip(after ?? []).All(p => p.First == p.Second
            || (p.First?.All is { } a && p.Second?.All is { } b && a.SequenceEqual(b) && p.First.Within == p.Second.Within));

    private static JobState Skipped(JobState s, RunsSkipped k)
    {
        var (missed, overlap) = JobDescription.Counts(k);
        return missed == 0 && overlap == 0 ? s
            : s with { MissedByCatchUpWindow = s.MissedByCatchUpWindow + missed, SkippedByOverlap = s.SkippedByOverlap + overlap };
    }

    // bufferAll queues behind the buffered run; the other policies buffer only into an empty slot.
    private static JobState Buffered(JobState s, DeferredRun run) =>
        s.Buffered is null ? s with { Buffered = run } : s with { Queued = (s.Queued ?? []).Add(run) };

    /// <summary>The state without waiting run <paramref name="runId"/>: when it was the buffered one, the next queued takes its place.</summary>
    private static JobState WithoutWaiting(JobState s, RunId runId)
    {
        if (s.Buffered?.RunId == runId)
            return s with { Buffered = s.Queued?.FirstOrDefault(), Queued = s.Queued is { Count: > 1 } queued ? queued.RemoveAt(0) : null };
        if (s.Queued?.Find(r => r.RunId == runId) is not { } queuedRun)
            return s;
        var rest = s.Queued.Remove(queuedRun);
        return s with { Queued = rest.IsEmpty ? null : rest };
    }

    private static JobState Dispatched(JobState s, RunDispatched d)
    {
        var run = new RunRecord(d.RunId, d.Attempt, d.Trigger, d.ScheduledFor, d.FencingToken, RunStatus.Pending, d.At,
            d.Data, d.RetryOf, ChainDepth: d.ChainDepth);
        var isNewRun = d.RetryOf is null;
        return WithoutWaiting(s, d.RunId) with
        {
            InFlight = s.InFlight.Add(run),
            FencingToken = Math.Max(s.FencingToken, d.FencingToken),
            RunSequence = Math.Max(s.RunSequence, d.RunId.Sequence),
            RunCount = isNewRun ? s.RunCount + 1 : s.RunCount,
            Retries = s.Retries.IsEmpty ? s.Retries : s.Retries.RemoveAll(r => r.RunId == d.RunId),
            Backlog = d.Trigger == s.Backlog?.RunsAs ? AdvanceBacklog(s, d.ScheduledFor) : s.Backlog,
            ProbeAt = d.Trigger == RunTrigger.Probe ? null : s.ProbeAt,
        };
    }

    // The backlog cursor moves past the occurrence just dispatched; the decider supplies the next occurrence
    // through CatchUpQueued when more remain, so here the cursor only empties.
    private static CatchUpBacklog? AdvanceBacklog(JobState s, DateTimeOffset dispatched) =>
        s.Backlog is { } b && b.Next <= dispatched ? null : s.Backlog;

    private static JobState Finished(JobState s, RunFinished f)
    {
        var run = s.InFlight.Find(r => r.RunId == f.RunId);
        if (run is null)
            return s;
        var done = run with
        {
            Status = f.Outcome, FinishedAt = f.At, ExitCode = f.ExitCode, Error = f.Error,
            Worker = run.Worker ?? f.Worker, StartedAt = run.StartedAt ?? f.StartedAt,
        };
        var retries = f.RetryAt is { } at
            ? s.Retries.Add(new DeferredRun(new RunId(s.Id, s.RunSequence + 1), RunTrigger.Retry, run.ScheduledFor,
                run.Data, run.Attempt + 1, run.RunId, at, run.ChainDepth))
            : s.Retries;
        var failedForGood = f.Outcome.IsFailure() && f.RetryAt is null;
        return s with
        {
            InFlight = s.InFlight.Remove(run),
            Recent = Newest(s.Recent, done),
            Retries = retries,
            RunSequence = f.RetryAt is null ? s.RunSequence : s.RunSequence + 1,
            FailureCount = f.Outcome.IsFailure() ? s.FailureCount + 1 : s.FailureCount,
            LastRunFailed = failedForGood || (s.LastRunFailed && f.Outcome != RunStatus.Succeeded),
            ConsecutiveFailures = f.Outcome == RunStatus.Succeeded ? 0 : failedForGood ? s.ConsecutiveFailures + 1 : s.ConsecutiveFailures,
            LastResult = Jobs.LastResult.Of(f),
        };
    }

    // O(log n) nodes per finished run, not a rebuilt list.
    private static ImmutableList<RunRecord> Newest(ImmutableList<RunRecord> recent, RunRecord done)
    {
        recent = recent.Insert(0, done);
        while (recent.Count > JobState.RecentRunLimit)
            recent = recent.RemoveAt(recent.Count - 1);
        return recent;
    }

    private static JobState Update(JobState s, RunId runId, Func<RunRecord, RunRecord> change)
    {
        var run = s.InFlight.Find(r => r.RunId == runId);
        return run is null ? s : s with { InFlight = s.InFlight.Replace(run, change(run)) };
    }
}
