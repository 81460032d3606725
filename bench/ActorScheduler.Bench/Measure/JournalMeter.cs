using System.Diagnostics.Metrics;

namespace ActorScheduler.Bench.Measure;

/// <summary>
/// Listens to the engine's journal writer metrics (<c>actorscheduler.journal.commit.duration</c>, <c>.batch.size</c>)
/// in this process, so a scenario can say how busy the one writer was over its window: commits, time inside them,
/// writes per commit. For "where the time goes"; not a table row.
/// </summary>
public sealed class JournalMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _commits;
    private double _seconds;
    private double _longest;
    private long _writes;

    public JournalMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("ActorScheduler", StringComparison.OrdinalIgnoreCase)
                && instrument.Name is "actorscheduler.journal.commit.duration" or "actorscheduler.journal.batch.size")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_listener)
            {
                _commits++;
                _seconds += seconds;
                _longest = Math.Max(_longest, seconds);
            }
        });
        _listener.SetMeasurementEventCallback<long>((_, writes, _, _) => Interlocked.Add(ref _writes, writes));
        _listener.Start();
    }

    /// <summary>The totals so far; the longest commit is counted afresh from here.</summary>
    public (long Commits, double Seconds, double Longest, long Writes) Mark()
    {
        lock (_listener)
        {
            var totals = (_commits, _seconds, _longest, Interlocked.Read(ref _writes));
            _longest = 0;
            return totals;
        }
    }

    /// <summary>One line on the writer over a window of <paramref name="window"/> seconds since <paramref name="from"/>.</summary>
    public string Describe((long Commits, double Seconds, double Longest, long Writes) from, double window)
    {
        var now = Mark();
        var commits = now.Commits - from.Commits;
        var busy = now.Seconds - from.Seconds;
        return $"journal writer: {commits:N0} commits, {busy * 1000:N0} ms inside them ({busy / Math.Max(window, 1e-3):P0} of {window:F2} s), " +
            $"{(now.Writes - from.Writes) / (double)Math.Max(commits, 1):F1} writes per commit, longest {now.Longest * 1000:N0} ms";
    }

    public void Dispose() => _listener.Dispose();
}
