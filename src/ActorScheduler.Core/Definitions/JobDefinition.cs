using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// What a job is, exactly as <c>docs/API.md</c> spells it on the wire. Plain data: it is validated by
/// <see cref="JobDefinitionValidator"/> and interpreted by the scheduling and policy code, never by itself.
/// </summary>
public sealed record JobDefinition
{
    public string? Id { get; init; }
    /// <summary>
    /// The board that manages this job (our addition): a board apply sets it, and refuses to take over a job of another
    /// board or of none. A plain PUT may set or clear it too (adopting a job into a board, or releasing it).
    /// </summary>
    public string? Board { get; init; }
    public ScheduleSpec? Schedule { get; init; }
    /// <summary>Several schedules, whose occurrences are their union (our addition); instead of <see cref="Schedule"/>, never with it.</summary>
    public IReadOnlyList<ScheduleSpec>? Schedules { get; init; }
    /// <summary>Occurrences that do not exist (holidays, maintenance hours); see <see cref="ExcludeSpec"/>.</summary>
    public IReadOnlyList<ExcludeSpec>? Exclude { get; init; }
    /// <summary>Each occurrence is delayed by a stable pseudo-random amount in [0, jitter), never up to the next occurrence.</summary>
    public TimeSpan? Jitter { get; init; }
    public WindowSpec? Window { get; init; }
    public int? MaxRuns { get; init; }
    public RunSpec? Run { get; init; }
    public string? Worker { get; init; }
    public string? NotWorker { get; init; }
    public bool StrictWorker { get; init; }
    public RetrySpec? Retry { get; init; }
    public TimeSpan? Timeout { get; init; }
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;
    public MisfireSpec? Misfire { get; init; }
    public IReadOnlyList<TriggerSpec>? Triggers { get; init; }
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonElement? Data { get; init; }
    /// <summary>This job's own retention (our addition): what it leaves out is the node's (<c>actor-scheduler.retention</c>).</summary>
    public RetentionSpec? Retention { get; init; }
    /// <summary>The circuit breaker (our addition): pause after so many consecutive failed runs, and probe.</summary>
    public OnFailureSpec? OnFailure { get; init; }
    /// <summary>A concurrency key (our addition): at most so many runs at once across every job that shares the key.</summary>
    public ConcurrencySpec? Concurrency { get; init; }

    /// <summary>Whether any schedule is given (<see cref="Schedule"/> or <see cref="Schedules"/>).</summary>
    [JsonIgnore] public bool HasSchedule => Schedule is not null || Schedules is { Count: > 0 };
    [JsonIgnore] public MisfireSpec EffectiveMisfire => Misfire ?? new MisfireSpec();
    [JsonIgnore] public RetrySpec EffectiveRetry => Retry ?? RetrySpec.None;
}

/// <summary>Exactly one form may be set: cron, every (optionally with decay), at, or after.</summary>
public sealed record ScheduleSpec
{
    public string? Cron { get; init; }
    public string? TimeZone { get; init; }
    public RepeatPeriod? Every { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DecaySpec? Decay { get; init; }
    public DateTimeOffset? At { get; init; }
    public TimeSpan? After { get; init; }
}

/// <summary>
/// One exclusion, exactly one form: <see cref="Cron"/> names excluded minutes (5 fields) or seconds (6 fields), an
/// occurrence is excluded when the minute or second it falls in is one the cron fires at; <see cref="Dates"/> names
/// excluded calendar days. Both read in <see cref="TimeZone"/>, by default the job's zone (the time zone its schedules
/// share, else UTC).
/// </summary>
public sealed record ExcludeSpec
{
    public string? Cron { get; init; }
    public IReadOnlyList<DateOnly>? Dates { get; init; }
    public string? TimeZone { get; init; }
}

public sealed record DecaySpec
{
    public double Factor { get; init; }
    public RepeatPeriod? Min { get; init; }
    public RepeatPeriod? Max { get; init; }
}

/// <summary>Occurrences at or after <see cref="Start"/> and strictly before <see cref="Stop"/> run.</summary>
public sealed record WindowSpec
{
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? Stop { get; init; }
}

/// <summary>Exactly one runner may be set.</summary>
public sealed record RunSpec
{
    public ShellRunSpec? Shell { get; init; }
    public HttpRunSpec? Http { get; init; }
    public HandlerRunSpec? Handler { get; init; }
    /// <summary>A script deployed by git push or <c>schedctl deploy</c> (our addition), run by its content hash.</summary>
    public ScriptRunSpec? Script { get; init; }
}

/// <summary>
/// A deployed script (our addition): the exact revision <see cref="Sha256"/> names, fetched by that hash and cached by
/// the worker, then started like a shell command with <see cref="Args"/>. The rest is as for <see cref="ShellRunSpec"/>.
/// A worker runs it only when its configuration allows deployed scripts (<c>worker.shell.allow-deployed-scripts</c>).
/// </summary>
public sealed record ScriptRunSpec
{
    /// <summary>The script's path in the repository it was deployed from (<c>jobs/extract.sh</c>): its name, for people.</summary>
    public string? Path { get; init; }
    /// <summary>The SHA-256 of the script's bytes, 64 lowercase hex digits: what runs.</summary>
    public string? Sha256 { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>As <see cref="ShellRunSpec.Stdin"/>.</summary>
    public string? Stdin { get; init; }
}

public sealed record ShellRunSpec
{
    /// <summary>argv: the program and its arguments; never a shell string assembled from user data.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyDictionary<string, string>? Env { get; init; }
    public string? WorkingDirectory { get; init; }
    /// <summary>
    /// What the process reads on standard input (our addition): <c>"payload"</c>, the run's data as JSON (what
    /// SCHEDULER_DATA holds), so any program that reads its input can be a runner; absent or <c>"none"</c>, nothing.
    /// </summary>
    public string? Stdin { get; init; }
}

public sealed record HttpRunSpec
{
    public string? Url { get; init; }
    public string? Method { get; init; }
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
    public JsonElement? Body { get; init; }
}

public sealed record HandlerRunSpec
{
    public string? Name { get; init; }
    public IReadOnlyList<JsonElement>? Arguments { get; init; }
}

public sealed record RetrySpec
{
    public static readonly RetrySpec None = new() { MaxAttempts = 1 };

    /// <summary>Attempts in all, the first included: 1 means no retry.</summary>
    public int MaxAttempts { get; init; } = 1;
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);
    public double Multiplier { get; init; } = 2.0;
    public TimeSpan? MaxDelay { get; init; }
}

public sealed record MisfireSpec
{
    public static readonly TimeSpan DefaultCatchUpWindow = TimeSpan.FromDays(1);
    public static readonly TimeSpan DefaultThreshold = TimeSpan.FromMinutes(1);

    public MisfirePolicy Policy { get; init; } = MisfirePolicy.FireOnce;
    public TimeSpan CatchUpWindow { get; init; } = DefaultCatchUpWindow;

    /// <summary>
    /// How late a single occurrence may start and still count as on time (our addition to the contract, as
    /// Quartz's misfireThreshold). Two or more due occurrences are always a misfire.
    /// </summary>
    public TimeSpan Threshold { get; init; } = DefaultThreshold;

    /// <summary>fireAll runs at most this many missed occurrences, the most recent; older ones are recorded as skipped.</summary>
    public const int DefaultMaxCatchUp = 1_000;

    /// <summary>The most missed occurrences fireAll may run one after another (our addition; default 1,000).</summary>
    public int? MaxCatchUp { get; init; }

    [JsonIgnore] public int EffectiveMaxCatchUp => MaxCatchUp ?? DefaultMaxCatchUp;
}

/// <summary>
/// A job's retention, overriding the node's: finished runs kept <see cref="RunRetentionSpec.MaxAge"/> and/or the last
/// <see cref="RunRetentionSpec.KeepLast"/>; the whole job removed <see cref="RemoveAfter"/> once it has ended (done,
/// canceled, or failed with nothing left to run: this applies to a failed job too, which the node keeps by default).
/// </summary>
public sealed record RetentionSpec
{
    public RunRetentionSpec? Runs { get; init; }
    public TimeSpan? RemoveAfter { get; init; }
}

public sealed record RunRetentionSpec
{
    public TimeSpan? MaxAge { get; init; }
    public int? KeepLast { get; init; }
}

/// <summary>
/// Pause on failure: after <see cref="PauseAfter"/> consecutive runs that failed for good (their last attempt failed,
/// timed out or was lost) the job pauses; with <see cref="ProbeAfter"/>, one probe run goes that long after, and again
/// after each failed probe. Any successful run (a probe's included) resumes a job this paused.
/// </summary>
public sealed record OnFailureSpec
{
    public int? PauseAfter { get; init; }
    public TimeSpan? ProbeAfter { get; init; }
}

/// <summary>
/// <c>{"key": "customer-1234", "limit": 2}</c>: at most <see cref="Limit"/> runs of all the jobs sharing
/// <see cref="Key"/> run at once, cluster-wide; the others wait, in the order they asked. Jobs sharing a key should give
/// the same limit: a run is admitted against the limit it brings.
/// </summary>
public sealed record ConcurrencySpec
{
    public string? Key { get; init; }
    public int Limit { get; init; } = 1;
}

/// <summary>
/// <c>{ "job": "extract", "on": "succeeded" }</c>, <c>{ "event": "foo-event" }</c>, or a fan-in (our addition):
/// <c>{ "all": [part, …], "within": "PT1H" }</c>, whose parts are job or event triggers. A fan-in runs the job once when
/// every part has arrived within <see cref="Within"/> of each other, with each part's data passed on (see
/// <c>Jobs.FanIn</c>).
/// </summary>
public sealed record TriggerSpec
{
    public string? Job { get; init; }
    public TriggerOn? On { get; init; }
    public string? Event { get; init; }
    public IReadOnlyList<TriggerSpec>? All { get; init; }
    /// <summary>How long an arrived part waits for the others (fan-in only; default <see cref="DefaultWithin"/>).</summary>
    public TimeSpan? Within { get; init; }

    public static readonly TimeSpan DefaultWithin = TimeSpan.FromDays(1);

    [JsonIgnore] public TimeSpan EffectiveWithin => Within ?? DefaultWithin;

    /// <summary>The name a part's data goes under in a fan-in run's data: its job id, or its event name.</summary>
    [JsonIgnore] public string? PartName => Job ?? Event;

    /// <summary>
    /// Every job or event trigger a list listens on, a fan-in's parts included, each with the index of the trigger in
    /// the list it belongs to (what an error names).
    /// </summary>
    public static IEnumerable<(TriggerSpec Trigger, int Index)> Listened(IReadOnlyList<TriggerSpec>? triggers)
    {
        for (var i = 0; i < (triggers?.Count ?? 0); i++)
        {
            if (triggers![i] is not { } trigger)
                continue;
            if (trigger.All is null)
                yield return (trigger, i);
            else
                foreach (var part in trigger.All)
                    if (part is not null)
                        yield return (part, i);
        }
    }
}

// Wire values (camelCase in JSON, persisted in events): append only, never renumber.
// Replace is terminateOther under its older name (see OverlapDecision).
public enum OverlapPolicy { Skip = 0, BufferOne = 1, Allow = 2, Replace = 3, BufferAll = 4, CancelOther = 5, TerminateOther = 6 }

public enum MisfirePolicy { FireOnce = 0, FireAll = 1, Skip = 2 }

public enum TriggerOn { Succeeded = 0, Failed = 1, Completed = 2 }
