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
}
