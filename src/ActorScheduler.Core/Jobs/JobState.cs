using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Jobs;

/// <summary>
/// One run as the job knows it; <see cref="RunStatus"/> says where it is. Its output is not here: the job's
/// <see cref="RunFinished"/> event and the runs read model hold it, so the state, its snapshots and every JobView stay
/// small (a snapshot written before this held it in "output"; reading one skips it). The state keeps only what the last
/// run passes on, bounded: <see cref="JobState.LastResult"/>.
/// </summary>
public sealed record RunRecord(
    RunId RunId,
    int Attempt,
    RunTrigger Trigger,
    DateTimeOffset ScheduledFor,
    long FencingToken,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    JsonElement? Data = null,
    RunId? RetryOf = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Worker = null,
    int? ExitCode = null,
    long? ProgressCurrent = null,
    long? ProgressMax = null,
    string? Error = null,
    bool CancelRequested = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ChainDepth = 0);

/// <summary>A run that starts later: a buffered occurrence (bufferOne) or the next attempt of a failed run.</summary>
public sealed record DeferredRun(
    RunId RunId,
    RunTrigger Trigger,
    DateTimeOffset ScheduledFor,
    JsonElement? Data,
    int Attempt = 1,
    RunId? RetryOf = null,
    DateTimeOffset? NotBefore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ChainDepth = 0);

/// <summary>A dated edit: <see cref="Definition"/> replaces the job's at <see cref="EffectiveAt"/>; <see cref="By"/> asked for it.</summary>
public sealed record PendingEdit(JobDefinition Definition, DateTimeOffset EffectiveAt, DateTimeOffset RequestedAt, string? By);

/// <summary>
/// fireAll's queue of missed occurrences (or a backfill's), kept as a cursor over the schedule, not as a list, with the
/// number of them left (counted once, when the backlog was queued; 0 in snapshots older than that count) and the
/// trigger its runs get (null: catch-up, as in every snapshot taken before backfills existed).
/// </summary>
public sealed record CatchUpBacklog(
    DateTimeOffset Next, DateTimeOffset Through,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Remaining = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunTrigger? Trigger = null)
{
    /// <summary>The trigger of the runs this backlog starts.</summary>
    [JsonIgnore]
    public RunTrigger RunsAs => Trigger ?? RunTrigger.CatchUp;
}

/// <summary>
/// Everything a job is, rebuilt by folding its events with <see cref="Apply"/>. Immutable; no clock, no I/O.
/// Run history in memory is bounded (<see cref="RecentRunLimit"/>); the journal holds the rest.
/// </summary>
public sealed record JobState
{
    public const int RecentRunLimit = 50;

    public required JobId Id { get; init; }
    public bool Exists { get; init; }
    public JobDefinition Definition { get; init; } = new();
    /// <summary>When the current definition took effect: the origin of <c>after</c> and of <c>every</c> without start.</summary>
    public DateTimeOffset Anchor { get; init; }
    public long Version { get; init; }
    public bool Canceled { get; init; }
    public bool Paused { get; init; }
    public string? PausedReason { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    /// <summary>The pause is the onFailure breaker's: a successful run ends it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PausedOnFailure { get; init; }
    /// <summary>When the breaker's next probe run is due (paused on failure, with probeAfter).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ProbeAt { get; init; }
    /// <summary>Runs in a row that failed for good (after their retries); a success or a resume sets it back to 0.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int ConsecutiveFailures { get; init; }
    /// <summary>The next scheduled occurrence not yet handled; null when the schedule has none.</summary>
    public DateTimeOffset? NextDueAt { get; init; }
    /// <summary>Bumped whenever <see cref="NextWakeAt"/> changes; wake-ups carry it so stale ones are ignored.</summary>
    public long Generation { get; init; }
    public int RunCount { get; init; }
    public int FailureCount { get; init; }
    public bool LastRunFailed { get; init; }
    public long RunSequence { get; init; }
    public long FencingToken { get; init; }
    public ImmutableList<RunRecord> InFlight { get; init; } = [];
    public ImmutableList<DeferredRun> Retries { get; init; } = [];
    /// <summary>The run that starts next when the runs in flight have ended (bufferOne, bufferAll, cancelOther).</summary>
    public DeferredRun? Buffered { get; init; }
    /// <summary>bufferAll: the runs waiting behind <see cref="Buffered"/>, oldest first; null when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableList<DeferredRun>? Queued { get; init; }
    public CatchUpBacklog? Backlog { get; init; }
    /// <summary>When the last event happened (null in a snapshot taken before this was kept, until the next event).</summary>
    public DateTimeOffset? ChangedAt { get; init; }
    /// <summary>
    /// What the last finished run passes on to the next (<see cref="Jobs.LastResult"/>; at most
    /// <see cref="Jobs.LastResult.MaxLength"/> characters); null before the first, and in a snapshot taken before runs
    /// passed on their result, until the next run ends.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastResult { get; init; }
    /// <summary>Occurrences recorded as skipped because they were older than the catch-up window (see <see cref="JobDescription"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long MissedByCatchUpWindow { get; init; }
    /// <summary>Occurrences and triggers recorded as skipped by the overlap policy (a run was in flight).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long SkippedByOverlap { get; init; }
    /// <summary>A dated edit waiting for its time (null when none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PendingEdit? PendingEdit { get; init; }
    /// <summary>The parts of fan-in triggers that have arrived and wait for the others (null when none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableList<FanInArrival>? FanIn { get; init; }
    /// <summary>Finished runs, newest first, at most <see cref="RecentRunLimit"/>.</summary>
    public ImmutableList<RunRecord> Recent { get; init; } = [];

    public static JobState Empty(JobId id) => new() { Id = id };

    [JsonIgnore]
    public bool Enabled => Definition.Enabled;

    /// <summary>When this job next needs a wake-up: its next occurrence or its earliest retry.</summary>
    [JsonIgnore]
    public DateTimeOffset? NextWakeAt
    {
        get
        {
            if (Canceled)
                return null;
            if (Paused)
                return Earliest(ProbeAt, PendingEdit?.EffectiveAt);
            // A loop, not LINQ: every applied event reads this twice, so it sits on the hot path of every run.
            var earliest = NextDueAt;
            foreach (var retry in Retries)
                if (earliest is null || retry.NotBefore < earliest)
                    earliest = retry.NotBefore;
            return PendingEdit is null ? earliest : Earliest(earliest, PendingEdit.EffectiveAt);
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    [JsonIgnore]
    public int Busy => InFlight.Count + Retries.Count;

    /// <summary>The buffered runs in the order they start: <see cref="Buffered"/>, then <see cref="Queued"/>.</summary>
    [JsonIgnore]
    public IEnumerable<DeferredRun> WaitingRuns => Buffered is null ? [] : [Buffered, .. Queued ?? []];

    [JsonIgnore]
    public int Waiting => Buffered is null ? 0 : 1 + (Queued?.Count ?? 0);

    [JsonIgnore]
    public bool RunLimitReached => RunCount >= Definition.MaxRuns;

    /// <summary>Derived, never stored: so it can never disagree with the facts it summarises.</summary>
    [JsonIgnore]
    public JobStatus Status =>
        Canceled ? JobStatus.Canceled
        : Paused ? JobStatus.Paused
        : Busy > 0 ? JobStatus.Running
        : LastRunFailed ? JobStatus.Error
        : NextDueAt is not null || Buffered is not null || Backlog is not null ? JobStatus.Scheduled
        : RunLimitReached || (Enabled && Definition.HasSchedule) ? JobStatus.Done
        : JobStatus.Waiting;

    public RunRecord? FindRun(RunId runId) =>
        InFlight.Find(r => r.RunId == runId) ?? Recent.Find(r => r.RunId == runId);

    public RunId NewRunId() => new(Id, RunSequence + 1);

    /// <summary>The state after <paramref name="event"/>: one version on (a removal mark carries the version it follows).</summary>
    public JobState Apply(JobEvent @event) => JobEvolution.Apply(this, @event);
}
