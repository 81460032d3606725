using ActorScheduler.Engine.Configuration;

namespace ActorScheduler.Engine.Concurrency;

/// <summary>
/// <c>actor-scheduler.concurrency</c>: how often held permits are checked with their jobs
/// (<paramref name="VerifyInterval"/>), how long a new permit keeper only takes reclaims (<paramref name="RestartGrace"/>;
/// dispatchers ask for the keeper every third of it, so each tells a new one what it holds in time), and how many runs
/// may wait for a permit in the whole cluster (<paramref name="MaxWaiting"/>).
/// </summary>
public sealed record ConcurrencySettings(TimeSpan VerifyInterval, TimeSpan RestartGrace, int MaxWaiting)
{
    /// <summary>How often a dispatcher with keyed runs asks which keeper answers.</summary>
    public TimeSpan KeeperPing => RestartGrace / 3;

    public static ConcurrencySettings From(ConfigSection concurrency) => new(
        concurrency.PositiveDuration("verify-interval"),
        concurrency.PositiveDuration("restart-grace"),
        concurrency.PositiveInt("max-waiting"));
}
