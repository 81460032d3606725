using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// A compiled schedule: an immutable rule answering "the first occurrence strictly after t". It holds no
/// "next fire time" of its own; whoever asks keeps their cursor.
/// </summary>
public abstract class Schedule
{
    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public abstract DateTimeOffset? NextAfter(DateTimeOffset after);

    /// <summary>Up to <paramref name="count"/> occurrences strictly after <paramref name="after"/>, ascending.</summary>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset after, int count) => OccurrencesAfter(after).Take(count);

    /// <summary>The occurrences strictly after <paramref name="after"/>, ascending, lazily (a schedule may walk them faster than NextAfter by NextAfter).</summary>
    public virtual IEnumerable<DateTimeOffset> OccurrencesAfter(DateTimeOffset after)
    {
        var cursor = after;
        while (NextAfter(cursor) is { } next)
        {
            yield return next;
            cursor = next;
        }
    }

    /// <summary>
    /// A schedule's next occurrences as a preview shows them: <paramref name="from"/> is both the anchor (an
    /// <c>every</c> without start, or an <c>after</c>, counts from it as a new job would) and where counting starts.
    /// The calendar ends in year 9999: a schedule stepping past it simply has no more occurrences.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Preview(ScheduleSpec spec, DateTimeOffset from, int count)
    {
        var found = new List<DateTimeOffset>(count);
        try
        {
            // Compiling is inside too: an "after" counted from a "from" near the end lands past it.
            foreach (var occurrence in Compile(spec, from).Occurrences(from, count))
                found.Add(occurrence);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
        }
        return found;
    }

    /// <summary>
    /// Compiles a validated spec. <paramref name="anchor"/> is the moment the definition took effect: the
    /// default start of an <c>every</c> rule and the origin of <c>after</c>.
    /// </summary>
    public static Schedule Compile(ScheduleSpec spec, DateTimeOffset anchor)
    {
        var zone = ZonedTime.FindZone(spec.TimeZone);
        if (spec.Cron is not null)
            return CronSchedule.Parse(spec.Cron, zone);
        if (spec.Every is not null && spec.Decay is not null)
            return new DecayingSchedule(spec.Start ?? anchor, spec.Every.FixedLength, spec.Decay);
        if (spec.Every is not null)
            return new RepeatSchedule(spec.Start ?? anchor, spec.Every, zone);
        if (spec.At is not null)
            return new OnceSchedule(spec.At.Value);
        if (spec.After is not null)
            return new OnceSchedule(anchor + spec.After.Value);
        throw new ArgumentException("The schedule has no form: give cron, every, at or after.", nameof(spec));
    }
}

/// <summary>One occurrence: <c>at</c>, or <c>after</c> resolved against the definition's anchor.</summary>
public sealed class OnceSchedule(DateTimeOffset at) : Schedule
{
    public DateTimeOffset At { get; } = at;

    public override DateTimeOffset? NextAfter(DateTimeOffset after) => At > after ? At : null;
}
