using System.Diagnostics.Metrics;
using ActorScheduler.Bench.Measure;
using ActorScheduler.Bench.Report;
using ActorScheduler.Engine.Telemetry;

namespace ActorScheduler.Bench.Scenarios;

/// <summary>
/// retention: does removal in the background hurt punctuality? ActorScheduler only, the steady workload twice on fresh
/// databases — once with retention off, once with it removing all the time: every finished run older than 2 s and
/// every snapshot-covered journal event older than 2 s goes, a pass a second (the shipped pace otherwise: 50 jobs a
/// step, 100 ms between steps). Lateness and CPU of both, and what the second removed (from its metric).
/// </summary>
public static class RetentionScenario
{
    private const string Off = """
        actor-scheduler.retention { runs-max-age = off, done-jobs-after = off, canceled-jobs-after = off, journal-max-age = off }
        """;

    private const string Removing = """
        actor-scheduler.retention { runs-max-age = 2s, journal-max-age = 2s, interval = 1s }
        """;

    public static async Task RunAsync(ScenarioContext context)
    {
        var (rate, seconds) = (context.Sizes.SteadyRate, context.Sizes.SteadySeconds);
        var off = await SteadyScenario.MeasureAsync(context, "retention off", rate, seconds, async fires => await context.StartOursAsync("retention-off", fires, Off));
        var removed = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineMetrics.MeterName && instrument.Name == "actorscheduler.retention.removed")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (removed)
                foreach (var tag in tags)
                    if (tag.Key == "what")
                        removed[(string)tag.Value!] = removed.GetValueOrDefault((string)tag.Value!) + value;
        });
        listener.Start();
        var on = await SteadyScenario.MeasureAsync(context, "retention removing", rate, seconds, async fires => await context.StartOursAsync("retention-on", fires, Removing));
        listener.Dispose();

        var label = context.Label("retention", $"steady {rate:N0}/s × {seconds} s");
        foreach (var (name, outcome) in new[] { ("retention off", off), ("retention removing", on) })
        {
            context.Table.Add(label, $"{name}: occurrences run (of {rate * seconds:N0})", "runs", Better.Higher, Cell.Of(outcome.Fired, outcome.Note), NotMeasured, NotMeasured);
            context.Table.Add(label, $"{name}: lateness p50", "ms", Better.Lower, Of(outcome.Lateness?.P50), NotMeasured, NotMeasured);
            context.Table.Add(label, $"{name}: lateness p99", "ms", Better.Lower, Of(outcome.Lateness?.P99), NotMeasured, NotMeasured);
            context.Table.Add(label, $"{name}: lateness max", "ms", Better.Lower, Of(outcome.Lateness?.Max), NotMeasured, NotMeasured);
            context.Table.Add(label, $"{name}: process CPU", "cores", Better.Lower, Cell.Of(outcome.Cores), NotMeasured, NotMeasured);
        }
        lock (removed)
            foreach (var what in new[] { "runs", "events" })
                context.Table.Add(label, $"retention removing: {what} removed while it ran", what, Better.Higher, Cell.Of(removed.GetValueOrDefault(what)), NotMeasured, NotMeasured);
    }

    private static Cell NotMeasured => Cell.Missing("ActorScheduler only");

    private static Cell Of(double? value) => value is { } v ? Cell.Of(v) : Cell.Missing("no runs");
}
