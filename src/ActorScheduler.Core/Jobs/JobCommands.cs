using System.Text.Json;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>Everything a job can be asked to do. The time of asking is passed to Decide beside the command.</summary>
public abstract record JobCommand
{
    /// <summary>Who asks (the audit trail, see <see cref="JobEvent.By"/>): every event the command causes carries it.</summary>
    public string? By { get; init; }
}

/// <summary>
/// POST (<paramref name="CreateOnly"/>: an existing id is a conflict) or PUT (create or replace). With
/// <paramref name="EffectiveAt"/> in the future it is a dated edit: the job goes on as it is and the definition replaces
/// it at that time (see <c>JobDecider.Edits</c>).
/// </summary>
public sealed record DefineJob(JobDefinition Definition, bool CreateOnly, DateTimeOffset? EffectiveAt = null) : JobCommand;

/// <summary>Withdraws the job's pending dated edit.</summary>
public sealed record DropEdit : JobCommand;

public sealed record EnableJob : JobCommand;

public sealed record DisableJob : JobCommand;

public sealed record PauseJob(string? Reason) : JobCommand;

public sealed record ResumeJob : JobCommand;

/// <summary>Moves the next occurrence to <paramref name="At"/>; the schedule continues after it.</summary>
public sealed record RescheduleJob(DateTimeOffset At) : JobCommand;

/// <summary>
/// Run now: by hand (<see cref="RunTrigger.Manual"/>) or because a watched job or event fired.
/// <paramref name="ChainDepth"/> counts the triggered runs that led here: the run that completed or emitted had
/// depth d, this one gets d + 1; past <see cref="JobLimits.MaxChainDepth"/> the request is refused and recorded.
/// <paramref name="Overlap"/>, when given, is this request's overlap policy in place of the job's.
/// <paramref name="Source"/> names what fired a triggered run (<c>job:{id}</c> or <c>event:{name}</c>) and
/// <paramref name="Outcome"/> how that job's run ended: fan-in triggers match their parts by them.
/// </summary>
public sealed record TriggerJob(
    RunTrigger Kind, JsonElement? Data, string? Source, int ChainDepth = 0, OverlapPolicy? Overlap = null, RunStatus? Outcome = null) : JobCommand;

/// <summary>
/// A timer or the time index says something may be due. Stale generations are ignored: delivery is
/// at-least-once and a wake-up armed for an earlier plan must not fire the new one.
/// </summary>
public sealed record WakeUp(long Generation) : JobCommand;

/// <summary>
/// Runs the occurrences of the job's schedule in the past range [<paramref name="From"/>, <paramref name="To"/>) with
/// trigger <see cref="RunTrigger.Backfill"/>: one after another through the catch-up backlog, or all at once with
/// <c>overlap: allow</c> (see <c>JobDecider.Backfill</c>).
/// </summary>
public sealed record BackfillJob(DateTimeOffset From, DateTimeOffset To, OverlapPolicy? Overlap = null) : JobCommand;

public sealed record CancelJob(string? Reason) : JobCommand;

/// <summary>Asks to cancel one run; a running process is killed by its worker, which then reports.</summary>
public sealed record CancelRun(RunId RunId, string? Reason) : JobCommand;

/// <summary>
/// A run the journal says is pending may or may not have reached a worker before a crash: send it again under
/// a new fencing token, so that a start reported under the old token is refused and its process stopped.
/// </summary>
public sealed record RedispatchRun(RunId RunId) : JobCommand;

/// <summary>
/// Reports from the worker side about one run. The fencing token must match the run's: a report from a
/// superseded dispatch is stale and refused.
/// </summary>
public abstract record RunReport(RunId RunId, long FencingToken) : JobCommand;

public sealed record ReportRunStarted(RunId RunId, long FencingToken, string Worker) : RunReport(RunId, FencingToken);

public sealed record ReportRunProgress(RunId RunId, long FencingToken, long Current, long? Max) : RunReport(RunId, FencingToken);

/// <summary>
/// A finished run: <paramref name="Outcome"/> is succeeded, failed, timedOut, canceled or lost. The worker
/// repeats where and when the run started, so a short run's start need not be journaled on its own.
/// <paramref name="Result"/> is the data the run emitted last, if any (passed on to the job's next run).
/// </summary>
public sealed record ReportRunFinished(
    RunId RunId,
    long FencingToken,
    RunStatus Outcome,
    int? ExitCode = null,
    string? Output = null,
    string? Error = null,
    string? Worker = null,
    DateTimeOffset? StartedAt = null,
    JsonElement? Result = null) : RunReport(RunId, FencingToken);
