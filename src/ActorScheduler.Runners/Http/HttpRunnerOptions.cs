using ActorScheduler.Runners.Output;

namespace ActorScheduler.Runners.Http;

/// <summary>How a worker makes HTTP calls for jobs (its configuration, never job data).</summary>
public sealed record HttpRunnerOptions
{
    /// <summary>How many bytes of the response body's tail a result keeps.</summary>
    public int OutputLimitBytes { get; init; } = OutputTail.DefaultCapacity;

    /// <summary>
    /// How many bytes of a response body are read at most; past it the runner stops reading, and the output says
    /// the body was cut off. Bounds the time and traffic an endless or huge answer costs.
    /// </summary>
    public long MaxResponseBytes { get; init; } = 1024 * 1024;

    /// <summary>The limit for a run whose job sets no timeout, so a server that never answers cannot hold a slot forever.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How many redirects (301, 302, 303, 307, 308) one run follows, each checked against the destination policy.</summary>
    public int MaxRedirects { get; init; } = 5;

    internal IEnumerable<string> Problems()
    {
        if (OutputLimitBytes < 1) yield return $"OutputLimitBytes must be at least 1, not {OutputLimitBytes}.";
        if (MaxResponseBytes < 1) yield return $"MaxResponseBytes must be at least 1, not {MaxResponseBytes}.";
        if (DefaultTimeout <= TimeSpan.Zero) yield return $"DefaultTimeout must be positive, not {DefaultTimeout}.";
        if (MaxRedirects < 0) yield return $"MaxRedirects must not be negative, not {MaxRedirects}.";
    }
}
