namespace ActorScheduler.Core.Jobs;

/// <summary>
/// The bounds a node puts on every job (its configuration, not the job's definition): what the decider refuses or
/// records as skipped instead of letting a job's work grow without end.
/// </summary>
/// <param name="MaxRunsInFlight">
/// Runs of one job in flight at once, pending ones included (<c>overlap: allow</c> included): an occurrence or trigger
/// beyond it is skipped and recorded; a manual trigger is refused (409).
/// </param>
/// <param name="MaxChainDepth">
/// How many triggered runs may follow one another (A triggers B triggers C …): a trigger deeper than this is refused
/// and recorded, which stops cycles through emitted events that no definition reveals.
/// </param>
public sealed record JobLimits(int MaxRunsInFlight, int MaxChainDepth)
{
    /// <summary>The defaults of hocon/base.conf, for callers without a node (specs, tools).</summary>
    public static readonly JobLimits Default = new(100, 32);
}
