namespace ActorScheduler.Core.Jobs;

/// <summary>What happened to runs in one minute, across every job: the dashboard's overview charts.</summary>
/// <param name="Finished">Runs that ended in the minute, whatever their outcome (canceled and lost included).</param>
public sealed record ActivityMinute(DateTimeOffset Minute, int Finished, int Succeeded, int Failed, int Skipped);

/// <summary>
/// Per-minute counts of run outcomes and skipped occurrences over the last <see cref="Minutes"/> minutes,
/// built from job events as they are read from the journal (in any order within the window). Pure: the caller
/// says what each event is and when it happened, and what time it is now; nothing here reads a clock. Events
/// older than the window are ignored, so memory is bounded by the window's minutes.
/// </summary>
public sealed class ActivityWindow(int minutes)
{
    private readonly Dictionary<long, int[]> _buckets = [];

    public int Minutes { get; } = minutes > 0 ? minutes : throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "must be positive");

    /// <summary>Events ignored because they fell before the window when they were read (a late start, a slow reader).</summary>
    public long Ignored { get; private set; }

    /// <summary>Counts <paramref name="e"/> in the minute of its time; events that say nothing about runs are passed over.</summary>
    public void Record(JobEvent e, DateTimeOffset now)
    {
        var (slot, count) = e switch
        {
            RunFinished { Outcome: RunStatus.Succeeded } => (1, 1),
            RunFinished finished when finished.Outcome.IsFailure() => (2, 1),
            RunFinished => (0, 1),
            RunsSkipped skipped => (3, Math.Max(1, skipped.Count)),
            _ => (-1, 0),
        };
        if (slot < 0)
            return;
        // Another node's clock may run ahead: its events count in this minute rather than in one not shown yet.
        var minute = Math.Min(MinuteOf(e.At), MinuteOf(now));
        if (minute <= MinuteOf(now) - Minutes)
        {
            Ignored++;
            return;
        }
        if (!_buckets.TryGetValue(minute, out var bucket))
            _buckets[minute] = bucket = new int[4];
        bucket[slot] += count;
        if (slot > 0 && slot < 3)
            bucket[0]++; // succeeded and failed runs finished too
        Trim(now);
    }

    /// <summary>Every minute of the window, oldest first, the current (unfinished) minute last; empty minutes as zeros.</summary>
    public IReadOnlyList<ActivityMinute> Snapshot(DateTimeOffset now)
    {
        Trim(now);
        var last = MinuteOf(now);
        var minutes = new List<ActivityMinute>(Minutes);
        for (var minute = last - Minutes + 1; minute <= last; minute++)
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(minute * 60);
            minutes.Add(_buckets.TryGetValue(minute, out var b)
                ? new ActivityMinute(at, b[0], b[1], b[2], b[3])
                : new ActivityMinute(at, 0, 0, 0, 0));
        }
        return minutes;
    }

    private void Trim(DateTimeOffset now)
    {
        var oldest = MinuteOf(now) - Minutes;
        if (_buckets.Count <= Minutes + 1)
            return;
        foreach (var minute in _buckets.Keys.Where(m => m <= oldest).ToList())
            _buckets.Remove(minute);
    }

    private static long MinuteOf(DateTimeOffset at) => (long)Math.Floor(at.ToUnixTimeSeconds() / 60.0);
}
