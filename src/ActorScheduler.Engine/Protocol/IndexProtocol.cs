using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Protocol;

/// <summary>
/// A job's row in the index, derived from its state alone and re-written by the job itself: the wake-up time index
/// (<c>wake_at</c>, <c>generation</c>) and the list read model (status, worker, tags, view JSON). Sent by a job to
/// the node's index writer after every change.
/// </summary>
/// <param name="Source">The job state the row was taken from (immutable); its view is rendered as JSON only when
/// the row is written, so a row replaced by a newer one before the writer's next flush costs no JSON.</param>
/// <param name="TriggerKeys">The keys the job listens on, when they may have changed; null when they did not.</param>
/// <param name="Runs">The job's runs that changed with this version, for the runs read model: written in the same
/// transaction as the row, so a job row at version v means every run row up to v is stored too.</param>
public sealed record JobIndexRow(
    JobId JobId,
    int Shard,
    long Version,
    JobStatus Status,
    string? Worker,
    IReadOnlyList<string> Tags,
    DateTimeOffset? WakeAt,
    long Generation,
    JobState Source,
    IReadOnlyList<string>? TriggerKeys,
    IReadOnlyList<RunRow>? Runs = null)
{
    public string ViewJson() => CoreJson.Serialize(JobView.From(Source));
}

/// <summary>
/// A run's row in the runs read model (<c>runs</c>): the run as its job holds it after version <paramref name="Version"/>
/// of the job, and the output its finish recorded (null otherwise; a stored output is kept).
/// </summary>
public sealed record RunRow(JobId JobId, RunRecord Run, string? Output, long Version);

/// <summary>To the index writer: write everything gathered so far, then answer <see cref="IndexFlushed"/> (used at shutdown).</summary>
public sealed record FlushIndex
{
    public static readonly FlushIndex Instance = new();
}

public sealed record IndexFlushed
{
    public static readonly IndexFlushed Instance = new();
}
