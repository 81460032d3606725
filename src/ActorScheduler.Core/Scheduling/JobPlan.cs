using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// A job's schedule bounded by its window and run limit: the occurrences that may actually run. Occurrences
/// before <c>window.start</c> do not exist; the first at or after <c>window.stop</c> ends the plan. The schedule is
/// the definition's <see cref="ScheduleSet"/> (schedules, exclusions, jitter); the window bounds the jittered instants.
/// </summary>
public sealed class JobPlan
{
    private readonly Schedule? _schedule;
    private readonly DateTimeOffset? _windowStart;
    private readonly DateTimeOffset? _windowStop;
    private readonly int? _maxRuns;

    public JobPlan(JobDefinition definition, DateTimeOffset anchor)
    {
        _schedule = ScheduleSet.Compile(definition, anchor);
        _windowStart = definition.Window?.Start;
        _windowStop = definition.Window?.Stop;
        _maxRuns = definition.MaxRuns;
    }

    public bool HasSchedule => _schedule is not null;

    public bool RunLimitReached(int runCount) => runCount >= _maxRuns;

    /// <summary>The next occurrence strictly after <paramref name="after"/> that may run, or null.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, int runCount)
    {
        if (_schedule is null || RunLimitReached(runCount))
            return null;
        // start > after (rather than start - 1 tick > after) keeps a window starting at DateTimeOffset.MinValue valid
        var from = _windowStart is { } start && start > after ? start.AddTicks(-1) : after;
        return _schedule.NextAfter(from) is { } next && !(next >= _windowStop) ? next : null;
    }

    /// <summary>
    /// The occurrences in [<paramref name="first"/>, <paramref name="through"/>], at most <paramref name="cap"/>
    /// of them (then <see cref="OccurrenceRange.AtLeast"/> says more follow); <paramref name="first"/> must
    /// itself be an occurrence.
    /// </summary>
    public OccurrenceRange Range(DateTimeOffset first, DateTimeOffset through, int cap = OccurrenceRange.CountCap)
    {
        if (first > through)
            return OccurrenceRange.Empty;
        var last = first;
        var count = 1;
        var capped = false;
        // One walk of the occurrences after `first`: a jittered schedule steps them far cheaper than NextAfter each.
        foreach (var next in _schedule?.OccurrencesAfter(first) ?? [])
        {
            if (next > through || next >= _windowStop)
                break;
            if (count == cap)
            {
                capped = true;
                break;
            }
            last = next;
            count++;
        }
        return new OccurrenceRange(first, last, count, capped);
    }
}

/// <summary>
/// A run of consecutive occurrences, stored as its ends and a count so that a day of every-second occurrences
/// is one record, not 86,400. A range holds at most <see cref="CountCap"/> occurrences; when more were due,
/// <see cref="AtLeast"/> is set and the caller handles the rest as a further range (work stays bounded).
/// </summary>
public sealed record OccurrenceRange(DateTimeOffset First, DateTimeOffset Last, int Count, bool AtLeast)
{
    public const int CountCap = 100_000;

    public static readonly OccurrenceRange Empty = new(default, default, 0, false);

    public bool IsEmpty => Count == 0;
}
