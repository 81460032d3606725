using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Definitions;

/// <summary>One problem with a definition: the JSON path of the field and what is wrong, in plain words.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>
/// Checks a definition against the contract and reports every problem at once, each naming its field. A
/// definition with no errors compiles into a <see cref="JobPlan"/> without exceptions.
/// </summary>
public static class JobDefinitionValidator
{
    /// <summary>Ids the HTTP API's paths take for themselves (<c>GET /api/v1/jobs/export</c>, <c>POST /api/v1/jobs/import</c>).</summary>
    public static readonly IReadOnlySet<string> ReservedIds = new HashSet<string>(StringComparer.Ordinal) { "export", "import" };

    public const int MaxTags = 32;
    public const int MaxTriggers = 64;

    public static IReadOnlyList<ValidationError> Validate(JobDefinition definition, bool requireId = true)
    {
        var errors = new List<ValidationError>();
        void Error(string field, string message) => errors.Add(new ValidationError(field, message));

        if (definition.Id is null)
        {
            if (requireId) Error("id", "is required.");
        }
        else if (!JobId.IsValid(definition.Id))
            Error("id", JobId.Problem(definition.Id));
        else if (ReservedIds.Contains(definition.Id))
            Error("id", $"'{definition.Id}' is reserved: /api/v1/jobs/{definition.Id} is the {definition.Id} of every job; choose another id.");

        if (definition.Board is { } board && !JobId.IsValid(board))
            Error("board", $"'{board}' must be a board name: {JobId.Rule}.");

        ScheduleSetValidator.Validate(definition, Error);
        if (definition.Window is { Start: { } start, Stop: { } stop } && stop <= start)
            Error("window.stop", $"{stop:O} must be after window.start ({start:O}).");
        if (definition.MaxRuns is < 1)
            Error("maxRuns", $"must be at least 1, not {definition.MaxRuns}.");

        ValidateRun(definition.Run, Error);
        if (definition.Worker is "") Error("worker", "must not be empty; leave it out to run on any worker.");
        else if (HasControl(definition.Worker)) Error("worker", NoControl);
        if (definition.NotWorker is "") Error("notWorker", "must not be empty; leave it out to exclude no worker.");
        else if (HasControl(definition.NotWorker)) Error("notWorker", NoControl);
        if (definition.StrictWorker && definition.Worker is null)
            Error("strictWorker", "needs worker: strict placement must name the node or pool.");
        if (definition.Worker is not null && definition.Worker == definition.NotWorker)
            Error("notWorker", $"excludes '{definition.Worker}', the same name worker asks for.");

        if (definition.Retry is { } retry) ValidateRetry(retry, Error);
        if (definition.Timeout is { } timeout && timeout <= TimeSpan.Zero)
            Error("timeout", $"must be positive, not {IsoDuration.Format(timeout)}.");
        if (!Enum.IsDefined(definition.Overlap)) Error("overlap", "must be skip, bufferOne, bufferAll, allow, cancelOther, terminateOther or replace.");
        if (definition.Misfire is { } misfire) ValidateMisfire(misfire, Error);
        ValidateTriggers(definition.Triggers, Error);
        ValidateTags(definition.Tags, Error);
        if (definition.Retention is { } retention) ValidateRetention(retention, Error);
        if (definition.OnFailure is { } onFailure) ValidateOnFailure(onFailure, Error);
        if (definition.Concurrency is { } concurrency) ValidateConcurrency(concurrency, Error);
        return errors;
    }

    public const int MaxConcurrencyLimit = 10_000;
    public const int MaxConcurrencyKeyLength = 200;

    private static void ValidateConcurrency(ConcurrencySpec concurrency, Action<string, string> error)
    {
        if (string.IsNullOrWhiteSpace(concurrency.Key))
            error("concurrency.key", "is required: the name the jobs that share the limit give.");
        else if (concurrency.Key.Length > MaxConcurrencyKeyLength || HasControl(concurrency.Key))
            error("concurrency.key", $"must be at most {MaxConcurrencyKeyLength} characters, without control characters.");
        if (concurrency.Limit is < 1 or > MaxConcurrencyLimit)
            error("concurrency.limit", $"must be from 1 to {MaxConcurrencyLimit:N0}, not {concurrency.Limit}.");
    }

    public const int MaxPauseAfter = 1_000;

    private static void ValidateOnFailure(OnFailureSpec onFailure, Action<string, string> error)
    {
        if (onFailure.PauseAfter is not (>= 1 and <= MaxPauseAfter))
            error("onFailure.pauseAfter", $"is required, from 1 to {MaxPauseAfter:N0}: the consecutive failed runs that pause the job.");
        if (onFailure.ProbeAfter is { } probe && (probe <= TimeSpan.Zero || probe > MaxCatchUpWindow))
            error("onFailure.probeAfter", $"must be positive and at most {IsoDuration.Format(MaxCatchUpWindow)}, not {IsoDuration.Format(probe)}.");
    }

    private static void ValidateRetention(RetentionSpec retention, Action<string, string> error)
    {
        if (retention.Runs?.MaxAge is { } maxAge && maxAge <= TimeSpan.Zero)
            error("retention.runs.maxAge", $"must be positive, not {IsoDuration.Format(maxAge)}.");
        if (retention.Runs?.KeepLast is < 1)
            error("retention.runs.keepLast", $"must be at least 1, not {retention.Runs.KeepLast}.");
        if (retention.RemoveAfter is { } removeAfter && removeAfter <= TimeSpan.Zero)
            error("retention.removeAfter", $"must be positive, not {IsoDuration.Format(removeAfter)}.");
    }

    private static void ValidateRun(RunSpec? run, Action<string, string> error)
    {
        if (run is null)
        {
            error("run", "is required: give one of shell, http, handler or script.");
            return;
        }
        var forms = new object?[] { run.Shell, run.Http, run.Handler, run.Script }.Count(f => f is not null);
        if (forms != 1)
        {
            error("run", $"must have exactly one of shell, http, handler or script, not {forms}.");
            return;
        }
        if (run.Shell is { } shell)
        {
            if (shell.Command is not { Count: > 0 } || string.IsNullOrWhiteSpace(shell.Command[0]))
                error("run.shell.command", "must not be empty: give the program and its arguments as an array.");
            else if (shell.Command.Any(a => a is null || a.Contains('\0')))
                error("run.shell.command", "must not contain null arguments or NUL characters.");
            ShellEnvironmentRules.Validate(shell.Env, "run.shell.env", error);
            if (shell.WorkingDirectory is "") error("run.shell.workingDirectory", "must not be empty.");
            if (shell.Stdin is not (null or "none" or "payload"))
                error("run.shell.stdin", $"'{shell.Stdin}' must be \"payload\" (the run's data as JSON on standard input) or \"none\".");
        }
        if (run.Http is { } http)
        {
            if (!Uri.TryCreate(http.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || HasControl(http.Url))
                error("run.http.url", $"'{http.Url}' must be an absolute http or https URL (without control characters).");
            if (http.Headers?.Any(h => h.Key.Length == 0 || HasControl(h.Key) || HasControl(h.Value)) == true)
                error("run.http.headers", "names must not be empty, and names and values must not contain control characters (a line break would start another header).");
            if (http.Method is { } method && !HttpMethods.Contains(method.ToUpperInvariant()))
                error("run.http.method", $"'{method}' is not one of {string.Join(", ", HttpMethods)}.");
        }
        if (run.Script is { } script)
            ScriptRunRules.Validate(script, error);
        if (run.Handler is { } handler && string.IsNullOrWhiteSpace(handler.Name))
            error("run.handler.name", "is required.");
        else if (run.Handler is { } named && HasControl(named.Name))
            error("run.handler.name", NoControl);
    }

    private static readonly string[] HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static void ValidateRetry(RetrySpec retry, Action<string, string> error)
    {
        if (retry.MaxAttempts is < 1 or > 1000) error("retry.maxAttempts", $"must be between 1 and 1000, not {retry.MaxAttempts}.");
        if (retry.Delay < TimeSpan.Zero) error("retry.delay", "must not be negative.");
        if (retry.Multiplier is < 1 or > 100 || double.IsNaN(retry.Multiplier))
            error("retry.multiplier", $"must be between 1 and 100, not {retry.Multiplier}.");
        if (retry.MaxDelay is { } maxDelay && maxDelay < retry.Delay)
            error("retry.maxDelay", "must not be shorter than retry.delay.");
    }

    /// <summary>The longest catch-up window: further back than this, "now minus the window" would leave the calendar.</summary>
    public static readonly TimeSpan MaxCatchUpWindow = TimeSpan.FromDays(36_500);

    private const string NoControl = "must not contain control characters.";

    private static bool HasControl(string? text) => text is not null && text.Any(char.IsControl);

    /// <summary>A backlog is counted in one pass of at most this many occurrences, so it is counted exactly.</summary>
    public const int MaxCatchUpLimit = Scheduling.OccurrenceRange.CountCap - 1;

    private static void ValidateMisfire(MisfireSpec misfire, Action<string, string> error)
    {
        if (!Enum.IsDefined(misfire.Policy)) error("misfire.policy", "must be fireOnce, fireAll or skip.");
        if (misfire.CatchUpWindow < TimeSpan.Zero) error("misfire.catchUpWindow", "must not be negative.");
        else if (misfire.CatchUpWindow > MaxCatchUpWindow)
            error("misfire.catchUpWindow", $"must be at most {IsoDuration.Format(MaxCatchUpWindow)} (100 years).");
        if (misfire.Threshold < TimeSpan.Zero) error("misfire.threshold", "must not be negative.");
        if (misfire.MaxCatchUp is < 1 or > MaxCatchUpLimit)
            error("misfire.maxCatchUp", $"must be from 1 to {MaxCatchUpLimit:N0}, not {misfire.MaxCatchUp}.");
    }

    public const int MaxFanInParts = 16;
    public static readonly TimeSpan MaxFanInWithin = TimeSpan.FromDays(30);

    private static void ValidateTriggers(IReadOnlyList<TriggerSpec>? triggers, Action<string, string> error)
    {
        if (triggers is null) return;
        if (triggers.Count > MaxTriggers) error("triggers", $"may list at most {MaxTriggers} triggers.");
        for (var i = 0; i < triggers.Count; i++)
        {
            var (t, field) = (triggers[i], $"triggers[{i}]");
            if (t is null) { error(field, "must not be null."); continue; }
            if (t.All is null)
            {
                ValidateSimpleTrigger(t, field, error, "job, event or all");
                if (t.Within is not null) error($"{field}.within", "applies only to a fan-in (all).");
                continue;
            }
            if (t.Job is not null || t.Event is not null || t.On is not null)
                error(field, "must have exactly one of job, event or all: a fan-in lists its jobs and events under all.");
            if (t.All.Count is < 2 or > MaxFanInParts)
                error($"{field}.all", $"must list from 2 to {MaxFanInParts} parts, not {t.All.Count}.");
            for (var j = 0; j < t.All.Count; j++)
            {
                var (part, partField) = (t.All[j], $"{field}.all[{j}]");
                if (part is null) { error(partField, "must not be null."); continue; }
                if (part.All is not null || part.Within is not null)
                    error(partField, "must be a job or event trigger: fan-ins do not nest.");
                else
                    ValidateSimpleTrigger(part, partField, error, "job or event");
            }
            var names = t.All.Where(p => p?.PartName is not null).GroupBy(p => p!.PartName).FirstOrDefault(g => g.Count() > 1);
            if (names is not null)
                error($"{field}.all", $"names '{names.Key}' twice: each part's data is passed on under its job or event name.");
            if (t.Within is { } within && (within <= TimeSpan.Zero || within > MaxFanInWithin))
                error($"{field}.within", $"must be positive and at most {IsoDuration.Format(MaxFanInWithin)}, not {IsoDuration.Format(within)}.");
        }
    }

    private static void ValidateSimpleTrigger(TriggerSpec t, string field, Action<string, string> error, string forms)
    {
        if ((t.Job is null) == (t.Event is null))
            error(field, $"must have exactly one of {forms}.");
        else if (t.Job is not null && !JobId.IsValid(t.Job))
            error($"{field}.job", $"'{t.Job}' is not a valid job id.");
        else if (t.Event is not null && string.IsNullOrWhiteSpace(t.Event))
            error($"{field}.event", "must not be empty.");
        else if (HasControl(t.Event))
            error($"{field}.event", NoControl);
        if (t.Job is not null && t.On is null) error($"{field}.on", "is required with job: succeeded, failed or completed.");
        if (t.Event is not null && t.On is not null) error($"{field}.on", "applies only to job triggers.");
    }

    private static void ValidateTags(IReadOnlyList<string>? tags, Action<string, string> error)
    {
        if (tags is null) return;
        if (tags.Count > MaxTags) error("tags", $"may hold at most {MaxTags} tags.");
        if (tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 64))
            error("tags", "each tag must be 1 to 64 characters and not blank.");
        else if (tags.Any(HasControl))
            error("tags", NoControl);
    }
}
