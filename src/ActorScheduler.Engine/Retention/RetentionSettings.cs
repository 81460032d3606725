using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Configuration;
using Akka.Configuration;

namespace ActorScheduler.Engine.Retention;

/// <summary>
/// <c>actor-scheduler.retention</c>: what is kept (<see cref="Policy"/>), and the pace of the background passes that
/// remove the rest: a pass every <paramref name="Interval"/>, <paramref name="PageSize"/> jobs per step, a pause of
/// <paramref name="StepPause"/> between steps, at most <paramref name="MaxRowsPerStep"/> rows per job and kind per step.
/// </summary>
public sealed record RetentionSettings(RetentionPolicy Policy, TimeSpan Interval, int PageSize, TimeSpan StepPause, int MaxRowsPerStep)
{
    public bool RemovesAnything => Policy != RetentionPolicy.KeepEverything;

    public static RetentionSettings From(ConfigSection retention) => new(
        new RetentionPolicy(
            Optional(retention, "runs-max-age"),
            retention.NonNegativeInt("runs-keep-last") is > 0 and var keep ? keep : null,
            Optional(retention, "done-jobs-after"),
            Optional(retention, "canceled-jobs-after"),
            Optional(retention, "failed-jobs-after"),
            Optional(retention, "journal-max-age")),
        retention.PositiveDuration("interval"),
        retention.PositiveInt("page-size"),
        retention.PositiveDuration("step-pause"),
        retention.PositiveInt("max-rows-per-step"));

    /// <summary>A period, or null for <c>off</c> (kept forever).</summary>
    private static TimeSpan? Optional(ConfigSection section, string key) =>
        section.String(key).Trim().Equals("off", StringComparison.OrdinalIgnoreCase) ? null
        : section.Duration(key) is var value && value > TimeSpan.Zero ? value
        : throw new ConfigurationException($"{section.Path}.{key} must be a period longer than 0, or off.");
}
