using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Engine.Telemetry;

/// <summary>
/// The engine's metrics on the .NET meter <see cref="MeterName"/> (exported by the gateway at <c>/metrics</c> in
/// Prometheus' format, where <c>actorscheduler.runs</c> reads <c>actorscheduler_runs_total</c>): runs by outcome
/// and trigger, run duration, fire lateness, skipped occurrences, runs in flight per worker, journal commits.
/// Recorded from what jobs journal, never while a job replays its journal.
/// </summary>
public static class EngineMetrics
{
    public const string MeterName = "ActorScheduler";

    public static readonly Meter Meter = new(MeterName, typeof(EngineMetrics).Assembly.GetName().Version?.ToString(3));

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("actorscheduler.runs", description: "Runs finished, by outcome (status) and trigger");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("actorscheduler.run.duration", "s",
        "How long runs took, from their start to their outcome", null, Buckets(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600));

    private static readonly Histogram<double> FireLateness = Meter.CreateHistogram<double>("actorscheduler.fire.lateness", "s",
        "How late runs started: start minus the occurrence they ran for", null,
        Buckets(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));

    private static readonly Counter<long> Skipped = Meter.CreateCounter<long>("actorscheduler.occurrences.skipped",
        description: "Occurrences that did not run, by reason (the reason's text up to its first colon)");

    private static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>("actorscheduler.runs.in_flight",
        description: "Runs a worker is carrying out now");

    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>("actorscheduler.journal.batch.size", null,
        "Journal writes (events and snapshots of every job writing at once) committed in one transaction", null,
        new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("actorscheduler.journal.commit.duration", "s",
        "How long one journal transaction took", null, Buckets(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5));

    private static readonly Counter<long> Retained = Meter.CreateCounter<long>("actorscheduler.retention.removed",
        description: "Rows retention removed, by what (runs, journal events, jobs)");

    private static readonly Counter<long> RetentionCapped = Meter.CreateCounter<long>("actorscheduler.retention.capped",
        description: "Times a job had more to remove than one step may (the rest goes at the next pass), by what");

    /// <summary>How long a count of jobs by status is reused: a scrape every few seconds costs one query at most.</summary>
    public static readonly TimeSpan JobCountReuse = TimeSpan.FromSeconds(5);

    private static readonly List<Func<IReadOnlyDictionary<string, long>>> JobCounters = [];
    private static (long At, IReadOnlyDictionary<string, long> Counts) _lastCount = (0, new Dictionary<string, long>());

    static EngineMetrics() =>
        Meter.CreateObservableGauge("actorscheduler.jobs", ObserveJobs, description: "Jobs by status (from the job index)");

    /// <summary>
    /// Where <c>actorscheduler.jobs</c> reads its counts: the job index of a node with a database, until the
    /// registration is disposed. A process normally has one; several (tests) are added up.
    /// </summary>
    public static IDisposable CountJobsWith(Func<IReadOnlyDictionary<string, long>> count)
    {
        lock (JobCounters)
        {
            JobCounters.Add(count);
            _lastCount = (0, _lastCount.Counts); // a new source counts at the next scrape
        }
        return new Registration(() =>
        {
            lock (JobCounters)
                JobCounters.Remove(count);
        });
    }

    private static IEnumerable<Measurement<long>> ObserveJobs()
    {
        Func<IReadOnlyDictionary<string, long>>[] sources;
        lock (JobCounters)
            sources = [.. JobCounters];
        var last = _lastCount;
        if (sources.Length > 0 && (last.At == 0 || Stopwatch.GetElapsedTime(last.At) > JobCountReuse))
        {
            try
            {
                var sum = sources.SelectMany(source => source()).GroupBy(pair => pair.Key).ToDictionary(g => g.Key, g => g.Sum(pair => pair.Value));
                _lastCount = last = (Stopwatch.GetTimestamp(), sum);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or ObjectDisposedException)
            {
                // The database is unreachable (or the node stopping): the last counts stand, and it is asked again only
                // after the reuse time, so scrapes stay fast through an outage.
                _lastCount = last = (Stopwatch.GetTimestamp(), last.Counts);
            }
        }
        return last.Counts.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("status", pair.Key)));
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    /// <summary>What a job's newly journaled events say about its runs (called once they are stored, not on replay).</summary>
    public static void Journaled(JobState after, IReadOnlyList<JobEvent> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case RunFinished finished when after.FindRun(finished.RunId) is { } run:
                    var trigger = new KeyValuePair<string, object?>("trigger", Wire(run.Trigger));
                    Runs.Add(1, new KeyValuePair<string, object?>("status", Wire(finished.Outcome)), trigger);
                    if ((finished.StartedAt ?? run.StartedAt) is { } began)
                    {
                        RunDuration.Record(Math.Max(0, (finished.At - began).TotalSeconds), trigger);
                        if (finished.StartedAt is not null) // a start not journaled on its own: its lateness is known only now
                            FireLateness.Record((began - run.ScheduledFor).TotalSeconds, trigger);
                    }
                    break;
                case RunStarted started when after.FindRun(started.RunId) is { } run:
                    FireLateness.Record((started.At - run.ScheduledFor).TotalSeconds, new KeyValuePair<string, object?>("trigger", Wire(run.Trigger)));
                    break;
                case RunsSkipped skipped:
                    Skipped.Add(skipped.Count, new KeyValuePair<string, object?>("reason", ReasonCategory(skipped.Reason)));
                    break;
            }
        }
    }

    /// <summary>A run began (+1) or ended (−1) on <paramref name="worker"/>.</summary>
    public static void RetentionRemoved(string what, long count)
    {
        if (count > 0)
            Retained.Add(count, new KeyValuePair<string, object?>("what", what));
    }

    public static void RetentionStepCapped(string what) => RetentionCapped.Add(1, new KeyValuePair<string, object?>("what", what));

    public static void RunInFlight(string worker, int change) => InFlight.Add(change, new KeyValuePair<string, object?>("worker", worker));

    /// <summary>The journal writer's batch step, timed and counted.</summary>
    public static Func<IReadOnlyList<TWrite>, IReadOnlyList<TOutcome>> TimedCommits<TWrite, TOutcome>(Func<IReadOnlyList<TWrite>, IReadOnlyList<TOutcome>> commit) =>
        batch =>
        {
            var started = Stopwatch.GetTimestamp();
            var outcomes = commit(batch);
            CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            BatchSize.Record(batch.Count);
            return outcomes;
        };

    /// <summary>
    /// A label value of bounded cardinality: reasons are fixed texts in the domain, some with details after a colon
    /// ("misfire: …"); the part before the colon names the kind.
    /// </summary>
    public static string ReasonCategory(string reason)
    {
        var head = reason.Split(':', 2)[0].Trim();
        return head.Length is > 0 and <= 40 ? head : "other";
    }

    private static InstrumentAdvice<double> Buckets(params double[] bounds) => new() { HistogramBucketBoundaries = bounds };

    private static string Wire<TEnum>(TEnum value) where TEnum : struct, Enum => Core.Definitions.CoreJson.WireName(value);
}
