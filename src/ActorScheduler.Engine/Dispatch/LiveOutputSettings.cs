using ActorScheduler.Engine.Configuration;
using Akka.Configuration;

namespace ActorScheduler.Engine.Dispatch;

/// <summary><c>actor-scheduler.worker.live-output</c>: how much of what runs print a worker keeps for live readers, and how long.</summary>
/// <param name="MaxBytesPerRun">The tail of a run's output kept, in UTF-8 bytes.</param>
/// <param name="KeepFinished">How long a finished run's output stays readable.</param>
/// <param name="KeepFinishedRuns">Finished runs kept at most (0: forgotten as they finish).</param>
public sealed record LiveOutputSettings(int MaxBytesPerRun, TimeSpan KeepFinished, int KeepFinishedRuns)
{
    public const string Path = "actor-scheduler.worker.live-output";

    public static LiveOutputSettings From(Config config)
    {
        var section = new ConfigSection(config, Path);
        return new LiveOutputSettings(section.PositiveInt("max-bytes-per-run"), section.PositiveDuration("keep-finished"),
            section.NonNegativeInt("keep-finished-runs"));
    }
}
