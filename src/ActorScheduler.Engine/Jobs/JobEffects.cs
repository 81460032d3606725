using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// What follows a change of a job, computed in one place for every path that changes one: the entity after a
/// command's events are stored or after it recovered, and the creator after it wrote a new job. Pure: the states
/// and events come in, the index row and the messages to send go out; the caller carries them out.
/// </summary>
/// <param name="IndexRow">The job's row for the time index and the list (with its trigger keys when they may have changed,
/// and the rows of the runs its events changed).</param>
/// <param name="WakeAt">When the job next needs waking, if ever.</param>
/// <param name="Dispatch">Runs to hand to the dispatcher.</param>
/// <param name="Cancel">Runs the dispatcher must stop.</param>
/// <param name="Completed">Runs that ended for good, for the trigger router.</param>
/// <param name="NewRun">The run the command started or buffered, for the reply (a trigger answers with it).</param>
/// <param name="Created">The events created the job (a PUT answers 201 rather than 200).</param>
public sealed record JobEffects(
    JobIndexRow IndexRow,
    DateTimeOffset? WakeAt,
    IReadOnlyList<DispatchRun> Dispatch,
    IReadOnlyList<CancelDispatchedRun> Cancel,
    IReadOnlyList<RunCompleted> Completed,
    RunId? NewRun = null,
    bool Created = false)
{
    /// <summary>While runs are in flight the row asks for a check this soon, even if nothing is due.</summary>
    public static readonly TimeSpan InFlightCheck = TimeSpan.FromMinutes(1);

    /// <summary>After <paramref name="events"/> took the job from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static JobEffects After(JobState before, JobState after, IReadOnlyList<JobEvent> events, DateTimeOffset now, int shardCount)
    {
        List<DispatchRun>? dispatch = null;
        List<CancelDispatchedRun>? cancel = null;
        List<RunCompleted>? completed = null;
        RunId? newRun = null;
        var created = false;
        // A decision may dispatch a run and end it too (an occurrence replacing a retry that came due with it).
        var inFlight = before.InFlight.Select(run => run.RunId).ToHashSet();
        foreach (var e in events)
        {
            switch (e)
            {
                case JobDefined defined:
                    created |= defined.Created;
                    break;
                case RunBuffered buffered:
                    newRun ??= buffered.RunId;
                    break;
                case RunDispatched dispatched:
                    if (dispatched.RetryOf is null)
                        newRun ??= dispatched.RunId;
                    inFlight.Add(dispatched.RunId);
                    if (after.InFlight.Exists(r => r.RunId == dispatched.RunId))
                        (dispatch ??= []).Add(DispatchRun.For(after, dispatched.RunId));
                    break;
                case RunRedispatched redispatched when after.InFlight.Exists(r => r.RunId == redispatched.RunId):
                    (dispatch ??= []).Add(DispatchRun.For(after, redispatched.RunId));
                    break;
                case RunCancelRequested requested when after.InFlight.Find(r => r.RunId == requested.RunId) is { } run:
                    (cancel ??= []).Add(new CancelDispatchedRun(run.RunId, run.Worker, run.FencingToken));
                    break;
                case RunFinished { RetryAt: null } finished when inFlight.Contains(finished.RunId):
                    var depth = (before.InFlight.Find(r => r.RunId == finished.RunId) ?? after.FindRun(finished.RunId))?.ChainDepth ?? 0;
                    (completed ??= []).Add(new RunCompleted(after.Id, finished.RunId, finished.Outcome, finished.Output, depth));
                    break;
            }
        }
        var triggersChanged = events.Any(e => e is JobDefined or JobCanceled);
        var row = RowOf(after, shardCount, now, triggersChanged);
        var runs = RunChanges.Of(after, events);
        return new JobEffects(runs.Count == 0 ? row : row with { Runs = RunRows(after, runs) }, after.NextWakeAt, dispatch ?? [], cancel ?? [],
            completed ?? [], newRun, created);
    }

    /// <summary>The runs read model's rows for the runs a job's events changed, at the job's version after them.</summary>
    public static IReadOnlyList<RunRow> RunRows(JobState after, IReadOnlyList<RunChanges.Changed> changes) =>
        changes.Select(change => new RunRow(after.Id, change.Run, change.Output, after.Version)).ToList();

    /// <summary>After recovery: the row is written again in full (an unclean stop may have lost it), trigger keys included.</summary>
    public static JobEffects Recovered(JobState state, DateTimeOffset now, int shardCount) =>
        new(RowOf(state, shardCount, now, triggersChanged: true), state.NextWakeAt, [], [], []);

    /// <summary>
    /// Runs that were in flight when the job last lived, after it recovered: a pending one is sent again under a new
    /// fencing token (it may have reached a worker before the crash) unless it was being canceled, when the cancel
    /// is sent again instead; a running one is checked with its worker, and reported lost if the worker no longer
    /// has it.
    /// </summary>
    public static (IReadOnlyList<RunId> Redispatch, IReadOnlyList<ReconcileRun> Check, IReadOnlyList<CancelDispatchedRun> Cancel)
        InFlightAfterRecovery(JobState state) =>
        (state.InFlight.Where(run => run is { Status: RunStatus.Pending, CancelRequested: false }).Select(run => run.RunId).ToList(),
         state.InFlight.Where(run => run.Status != RunStatus.Pending)
             .Select(run => new ReconcileRun(DispatchRun.For(state, run.RunId), run.Status, run.Worker)).ToList(),
         state.InFlight.Where(run => run is { Status: RunStatus.Pending, CancelRequested: true })
             .Select(run => new CancelDispatchedRun(run.RunId, run.Worker, run.FencingToken)).ToList());

    /// <summary>
    /// The job's row, derived from its state alone. While runs are in flight the row asks for a check within
    /// <see cref="InFlightCheck"/>, so that after a crash the job is recovered and its runs reconciled, not left
    /// "running" until its next occurrence.
    /// </summary>
    public static JobIndexRow RowOf(JobState state, int shardCount, DateTimeOffset now, bool triggersChanged)
    {
        var check = now + InFlightCheck;
        var wakeAt = state.InFlight.IsEmpty || state.NextWakeAt < check ? state.NextWakeAt : check;
        return new JobIndexRow(
            state.Id, JobSharding.ShardOf(state.Id, shardCount), state.Version, state.Status,
            state.Definition.Worker, state.Definition.Tags ?? [], wakeAt, state.Generation,
            state,
            triggersChanged ? TriggerKeys.Of(state) : null);
    }
}
