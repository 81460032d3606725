using ActorScheduler.Core.Jobs;
using Akka.Actor;

namespace ActorScheduler.Engine.Jobs;

/// <summary>What a job entity needs from its node: the clock, the index writer and where runs and outcomes go.</summary>
public sealed record JobEntityContext(
    TimeProvider Clock,
    IActorRef IndexWriter,
    IActorRef Dispatcher,
    IActorRef TriggerRouter,
    JobEntitySettings Settings,
    int ShardCount);

/// <param name="IdleTimeout">
/// How long an idle job stays in memory. Passivation shorter than the wait for a recovery permit drops stashed
/// messages (docs/ARCHITECTURE.md, "Wake-ups"), so keep it at two minutes or more.
/// </param>
/// <param name="KeepAliveHorizon">A job whose next wake-up is closer than this stays in memory and uses its own timer.</param>
/// <param name="SnapshotEvery">Events between snapshots.</param>
/// <param name="StartJournalDelay">
/// A run's start is journaled only if the run is still going this long after it: a short run's finish carries its
/// start, saving one write per run. A crash inside the window leaves the run "pending", and a pending run is sent
/// again under a new fencing token on recovery, so nothing is lost; a late duplicate is fenced.
/// </param>
/// <param name="Limits">The bounds on every job's work (runs in flight, trigger chain depth).</param>
public sealed record JobEntitySettings(TimeSpan IdleTimeout, TimeSpan KeepAliveHorizon, int SnapshotEvery, TimeSpan StartJournalDelay, JobLimits Limits)
{
    /// <summary>When the job's own timer should fire for a wake-up at <paramref name="wakeAt"/>: only within the keep-alive horizon.</summary>
    public TimeSpan? OwnTimer(DateTimeOffset? wakeAt, DateTimeOffset now) =>
        wakeAt is { } at && at - now < KeepAliveHorizon ? (at > now ? at - now : TimeSpan.Zero) : null;

    /// <summary>
    /// A job leaves memory when idle unless a run is in flight (its worker reports to it) or a wake-up is near (its
    /// own timer fires it); otherwise the time index wakes it when it is next due.
    /// </summary>
    public bool MayPassivate(JobState state, DateTimeOffset now) => state.InFlight.IsEmpty && OwnTimer(state.NextWakeAt, now) is null;
}
