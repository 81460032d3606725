using System.Text.Json;
using System.Text.Json.Serialization;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// Journaled facts. Each carries every time it needs (<see cref="At"/> is when it happened), so replay never
/// reads a clock. Persisted: rename nothing, add only optional fields.
/// </summary>
public abstract record JobEvent(DateTimeOffset At)
{
    /// <summary>
    /// Who caused it (the audit trail): the API caller (<c>api-token</c>, <c>dashboard</c>, <c>loopback</c>, a run's token)
    /// and the client it named, e.g. <c>api-token (schedctl/1.0 alice@build-1)</c>; null for what the job did by itself
    /// (schedules, runs, retries) and in every event stored before changes were attributed.
    /// </summary>
    public string? By { get; init; }
}

/// <summary>
/// Created (first definition) or replaced; <paramref name="NextDueAt"/> is the new plan's first occurrence.
/// <paramref name="Changed"/> lists the fields a replacement changed (<see cref="DefinitionChanges"/>; null when created,
/// and in events stored before changes were listed); <paramref name="EffectiveAt"/> is set when a dated edit took effect.
/// </summary>
public sealed record JobDefined(
    JobDefinition Definition, bool Created, DateTimeOffset? NextDueAt, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Changed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EffectiveAt = null) : JobEvent(At);

/// <summary>A dated edit: <paramref name="Definition"/> replaces the job's at <paramref name="EffectiveAt"/> (and replaces any edit pending before).</summary>
public sealed record EditScheduled(
    JobDefinition Definition, DateTimeOffset EffectiveAt, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Changed = null) : JobEvent(At);

/// <summary>The pending dated edit was withdrawn (by a person, or because the job was canceled).</summary>
public sealed record EditDropped(DateTimeOffset EffectiveAt, string Reason, DateTimeOffset At) : JobEvent(At);

public sealed record JobEnabled(DateTimeOffset? NextDueAt, DateTimeOffset At) : JobEvent(At);

public sealed record JobDisabled(DateTimeOffset At) : JobEvent(At);

/// <summary>
/// Paused by a person (<paramref name="Failures"/> null) or by the job's onFailure breaker after that many consecutive
/// failed runs, with its next probe run at <paramref name="ProbeAt"/> when it probes.
/// </summary>
public sealed record JobPaused(
    string? Reason, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Failures = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ProbeAt = null) : JobEvent(At);

/// <summary>Resumed by a person (no reason) or by a successful run after the onFailure breaker paused the job (why).</summary>
public sealed record JobResumed(
    DateTimeOffset? NextDueAt, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null) : JobEvent(At);

public sealed record JobRescheduled(DateTimeOffset DueAt, DateTimeOffset At) : JobEvent(At);

public sealed record JobCanceled(string? Reason, DateTimeOffset At) : JobEvent(At);

/// <summary>
/// Removed by retention (the job had ended): the job no longer exists, and this is the only event its journal keeps,
/// so it carries what a job later created under the same id goes on from: run numbers, fencing tokens, wake-up
/// generations and the version (the state's event count, which its replay alone would not give).
/// </summary>
public sealed record JobRemoved(string Reason, long RunSequence, long FencingToken, long Generation, long Version, DateTimeOffset At) : JobEvent(At);

/// <summary>The schedule moved on without (or before) dispatching: null means no more occurrences.</summary>
public sealed record ScheduleAdvanced(DateTimeOffset? NextDueAt, DateTimeOffset At) : JobEvent(At);

/// <summary>
/// Occurrences (or trigger requests) that will not run, and why: misfire, overlap, pause, reschedule, limits.
/// One event per consecutive range, so a long outage is one record, not thousands. A catch-up range starting
/// at the backlog's cursor drops the fireAll backlog.
/// </summary>
public sealed record RunsSkipped(
    RunTrigger Trigger,
    DateTimeOffset First,
    DateTimeOffset Last,
    int Count,
    bool AtLeast,
    string Reason,
    DateTimeOffset At) : JobEvent(At);

/// <summary>A buffered run or a pending retry attempt that will not start, and why.</summary>
public sealed record DeferredRunDropped(RunId RunId, RunTrigger Trigger, DateTimeOffset ScheduledFor, string Reason, DateTimeOffset At) : JobEvent(At);

/// <summary>
/// fireAll, or a backfill: the occurrences in [First, Through] run one after another, with <paramref name="Trigger"/>
/// (null: <see cref="RunTrigger.CatchUp"/>, as every event stored before backfills existed).
/// </summary>
public sealed record CatchUpQueued(
    DateTimeOffset First, DateTimeOffset Through, int Count, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunTrigger? Trigger = null) : JobEvent(At);

/// <summary>
/// A part of the fan-in trigger <paramref name="Trigger"/> (its index in the definition's triggers) arrived, with the
/// data of the run or event that fired it. <paramref name="Completes"/>: it was the last part missing, so the fan-in
/// runs the job (the run follows in the same decision) and starts over.
/// </summary>
public sealed record FanInArrived(int Trigger, int Part, JsonElement? Data, bool Completes, DateTimeOffset At) : JobEvent(At);

/// <summary>overlap bufferOne: this run starts when the one in flight ends.</summary>
/// <param name="ChainDepth">How many triggered runs led to this one (0: a schedule's or a person's).</param>
public sealed record RunBuffered(
    RunId RunId, RunTrigger Trigger, DateTimeOffset ScheduledFor, JsonElement? Data, DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ChainDepth = 0) : JobEvent(At);

/// <summary>A run (or a retry attempt) exists and waits for a worker; the fencing token is new and higher.</summary>
public sealed record RunDispatched(
    RunId RunId,
    int Attempt,
    RunTrigger Trigger,
    DateTimeOffset ScheduledFor,
    long FencingToken,
    JsonElement? Data,
    RunId? RetryOf,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ChainDepth = 0) : JobEvent(At);

/// <summary>A pending run is sent again under a new (higher) fencing token.</summary>
public sealed record RunRedispatched(RunId RunId, long FencingToken, DateTimeOffset At) : JobEvent(At);

public sealed record RunStarted(RunId RunId, string Worker, DateTimeOffset At) : JobEvent(At);

public sealed record RunProgressed(RunId RunId, long Current, long? Max, DateTimeOffset At) : JobEvent(At);

public sealed record RunCancelRequested(RunId RunId, string? Reason, DateTimeOffset At) : JobEvent(At);

/// <summary>
/// A run ended. <paramref name="RetryAt"/> is set when the retry policy schedules another attempt;
/// <paramref name="Worker"/> and <paramref name="StartedAt"/> fill in a start that was not journaled;
/// <paramref name="Result"/> is the data the run emitted last, when it emitted any that fits in
/// <see cref="LastResult.MaxLength"/> (absent from every event stored before runs passed on their result).
/// </summary>
public sealed record RunFinished(
    RunId RunId,
    RunStatus Outcome,
    int? ExitCode,
    string? Output,
    string? Error,
    DateTimeOffset? RetryAt,
    DateTimeOffset At,
    string? Worker = null,
    DateTimeOffset? StartedAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Result = null) : JobEvent(At);
