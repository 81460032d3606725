using System.Diagnostics.Metrics;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Telemetry;

/// <summary>
/// The permit keeper's metrics (concurrency keys) on <see cref="EngineMetrics.Meter"/>: runs waiting for a permit and
/// runs holding one (on the node whose keeper answers now), permits freed by why, and runs refused a place in line.
/// </summary>
public static class ConcurrencyMetrics
{
    private static readonly UpDownCounter<long> WaitingNow = EngineMetrics.Meter.CreateUpDownCounter<long>("actorscheduler.concurrency.waiting",
        description: "Runs waiting for a permit of their concurrency key");

    private static readonly UpDownCounter<long> HeldNow = EngineMetrics.Meter.CreateUpDownCounter<long>("actorscheduler.concurrency.held",
        description: "Runs holding a permit of their concurrency key");

    private static readonly Counter<long> Freed = EngineMetrics.Meter.CreateCounter<long>("actorscheduler.concurrency.freed",
        description: "Permits freed, by why: ended, lost, canceled, or verified (its job no longer had the run in flight)");

    private static readonly Counter<long> RefusedTotal = EngineMetrics.Meter.CreateCounter<long>("actorscheduler.concurrency.refused",
        description: "Runs not queued for a permit because actor-scheduler.concurrency.max-waiting runs wait already (asked again later)");

    /// <summary>One keeper's share of the waiting and held gauges: it reports its book's counts, and withdraws them when it stops.</summary>
    public sealed class Gauges
    {
        private (long Waiting, long Held) _reported;

        public void Report(long waiting, long held)
        {
            if (waiting != _reported.Waiting)
                WaitingNow.Add(waiting - _reported.Waiting);
            if (held != _reported.Held)
                HeldNow.Add(held - _reported.Held);
            _reported = (waiting, held);
        }
    }

    public static void PermitFreed(PermitRelease why) => Freed.Add(1, new KeyValuePair<string, object?>("why", why.ToString().ToLowerInvariant()));

    public static void Refused() => RefusedTotal.Add(1);
}
