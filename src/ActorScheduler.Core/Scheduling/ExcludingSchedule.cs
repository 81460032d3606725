namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// A schedule without the occurrences its exclusions cover: those simply do not exist (nothing runs, nothing is
/// recorded). The search past excluded occurrences is bounded: after <see cref="MaxExcludedInARow"/> excluded blocks
/// in a row it gives up, so that an exclusion covering every occurrence cannot hang a job or a preview.
/// </summary>
public sealed class ExcludingSchedule(Schedule inner, IReadOnlyList<Exclusion> exclusions) : Schedule
{
    /// <summary>How many excluded blocks (an excluded day, minute or second) the search steps over before giving up.</summary>
    public const int MaxExcludedInARow = 100_000;

    public const string GaveUpReason = "exclude: every occurrence examined was excluded (100,000 excluded days, minutes or seconds in a row); the search gave up";

    public override DateTimeOffset? NextAfter(DateTimeOffset after) => Search(after).Next;

    /// <summary>The first occurrence after <paramref name="after"/> no exclusion covers, or null; <c>GaveUp</c> says the bound ended the search.</summary>
    public (DateTimeOffset? Next, bool GaveUp) Search(DateTimeOffset after)
    {
        var cursor = after;
        for (var step = 0; step < MaxExcludedInARow; step++)
        {
            if (inner.NextAfter(cursor) is not { } candidate)
                return (null, false);
            if (ExcludedThrough(candidate) is not { } end)
                return (candidate, false);
            if (end == DateTimeOffset.MaxValue)
                return (null, false);
            // Every occurrence up to the end of the excluded day, minute or second is excluded too: step over it whole.
            cursor = end;
        }
        return (null, true);
    }

    private DateTimeOffset? ExcludedThrough(DateTimeOffset occurrence)
    {
        DateTimeOffset? end = null;
        foreach (var exclusion in exclusions)
            if (exclusion.ExcludedThrough(occurrence) is { } through && (end is null || through > end))
                end = through;
        return end;
    }
}

/// <summary>A rule naming instants that are not occurrences.</summary>
public abstract class Exclusion
{
    /// <summary>
    /// When <paramref name="occurrence"/> is excluded, the last instant of the excluded block it lies in (its day,
    /// minute or second), at or after it; otherwise null.
    /// </summary>
    public abstract DateTimeOffset? ExcludedThrough(DateTimeOffset occurrence);
}

/// <summary>Whole calendar days, read in a zone: from local midnight to the next local midnight.</summary>
public sealed class DatesExclusion(IEnumerable<DateOnly> dates, TimeZoneInfo zone) : Exclusion
{
    private readonly HashSet<DateOnly> _dates = [.. dates];

    public override DateTimeOffset? ExcludedThrough(DateTimeOffset occurrence)
    {
        var local = ZonedTime.ToLocal(occurrence, zone);
        if (!_dates.Contains(DateOnly.FromDateTime(local)))
            return null;
        if (local.Date == DateTime.MaxValue.Date)
            return DateTimeOffset.MaxValue;
        var end = ZonedTime.ToInstant(local.Date.AddDays(1), zone).AddTicks(-1);
        return end > occurrence ? end : occurrence;
    }
}

/// <summary>The minutes (5-field cron) or seconds (6-field cron) a cron fires at, in its zone.</summary>
public sealed class CronExclusion(CronSchedule cron) : Exclusion
{
    public override DateTimeOffset? ExcludedThrough(DateTimeOffset occurrence)
    {
        if (!cron.Covers(occurrence))
            return null;
        var start = occurrence.UtcTicks - occurrence.UtcTicks % cron.Resolution.Ticks;
        return DateTimeOffset.MaxValue.UtcTicks - start < cron.Resolution.Ticks
            ? DateTimeOffset.MaxValue
            : new DateTimeOffset(start + cron.Resolution.Ticks - 1, TimeSpan.Zero);
    }
}
