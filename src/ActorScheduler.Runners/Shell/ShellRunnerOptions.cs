using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Shell;

/// <summary>How a worker starts shell jobs (its configuration, never job data).</summary>
public sealed record ShellRunnerOptions
{
    /// <summary>How many bytes of the interleaved stdout+stderr tail a result keeps.</summary>
    public int OutputLimitBytes { get; init; } = OutputTail.DefaultCapacity;

    /// <summary>
    /// How long to keep reading after the process has ended. Only a background child that inherited the pipes
    /// and outlived its parent keeps them open that long; the run ends without waiting for it.
    /// </summary>
    public TimeSpan OutputDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Start jobs with SIGPIPE at its default, as cron or a terminal would, instead of inheriting the runtime's
    /// ignore; needs coreutils env 8.31+ on the worker's PATH and is skipped without it.
    /// </summary>
    public bool RestoreSigpipe { get; init; } = true;

    /// <summary>
    /// Names of the worker's own environment variables a job also receives (when set), beyond PATH, HOME, LANG
    /// and TZ. Everything else in the worker's environment, its secrets included, stays out of jobs.
    /// </summary>
    public IReadOnlyList<string> PassEnvironment { get; init; } = [];

    /// <summary>
    /// The script API each run is told of (SCHEDULER_API_URL and its own SCHEDULER_RUN_TOKEN); null tells it nothing.
    /// </summary>
    public ScriptApi? ScriptApi { get; init; }
}

/// <summary>Where a run's script reaches the scheduler's HTTP API, and the token that run gets (scoped to it).</summary>
public sealed record ScriptApi(string Url, Func<RunRequest, string> IssueToken);

internal static class ScriptApiVariables
{
    public static IEnumerable<(string Name, string Value)> Of(ScriptApi? api, RunRequest request) =>
        api is null ? [] : [("SCHEDULER_API_URL", api.Url), ("SCHEDULER_RUN_TOKEN", api.IssueToken(request))];
}
