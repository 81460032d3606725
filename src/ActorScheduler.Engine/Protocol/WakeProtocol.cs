using ActorScheduler.Core;

namespace ActorScheduler.Engine.Protocol;

/// <summary>A row of the time index: wake <paramref name="JobId"/> at <paramref name="WakeAt"/> with this generation.</summary>
public sealed record DueWake(JobId JobId, DateTimeOffset WakeAt, long Generation);

/// <summary>
/// To the wake-up scheduler: a wake-up written just now that is due before the next read of the index would find
/// it (the job creator's new jobs).
/// </summary>
public sealed record ExpectWake(DueWake Row);
