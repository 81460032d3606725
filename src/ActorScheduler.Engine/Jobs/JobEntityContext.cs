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
/// messages (see ARCHITECTURE), so keep it at two minutes or more.
/// </param>
/// <param name="KeepAliveHorizon">A job whose next wake-up is closer than this stays in memory and uses its own timer.</param>
/// <param name="SnapshotEvery">Events between snapshots.</param>
public sealed record JobEntitySettings(TimeSpan IdleTimeout, TimeSpan KeepAliveHorizon, int SnapshotEvery)
{
    public static readonly JobEntitySettings Default = new(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), 100);
}
