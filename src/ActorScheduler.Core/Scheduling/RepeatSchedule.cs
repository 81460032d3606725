using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// "every P from start": occurrence n is start + n·P, always computed from the start (the anchor), never from
/// the previous occurrence, so Jan 31 + 1 month is Feb 28/29 and + 2 months is Mar 31 again. The calendar part
/// (years, months, weeks, days) is added to the local date-time in the zone, then the elapsed part
/// (hours and smaller) is added to the resulting instant: "every day" keeps its wall-clock time across DST,
/// "every 24 hours" keeps its spacing.
/// </summary>
public sealed class RepeatSchedule : Schedule
{
    private readonly DateTimeOffset _start;
    private readonly DateTime _localStart;
    private readonly RepeatPeriod _period;
    private readonly TimeZoneInfo _zone;

    public RepeatSchedule(DateTimeOffset start, RepeatPeriod period, TimeZoneInfo zone)
    {
        if (period.IsZero || period.AnyNegative)
            throw new ArgumentException($"A repeat period must be positive, not {period}.", nameof(period));
        _start = start;
        _period = period;
        _zone = zone;
        _localStart = ZonedTime.ToLocal(start, zone);
    }

    /// <summary>Occurrence number <paramref name="n"/> (0 is the start), or null past the calendar's end.</summary>
    public DateTimeOffset? Occurrence(long n)
    {
        // The start is an instant: re-reading its wall time would move a start in a fall-back repeated hour to
        // that hour's first pass.
        if (n == 0)
            return _start;
        try
        {
            var instant = _start;
            if (_period.HasCalendarPart)
            {
                var local = _localStart
                    .AddYears(checked((int)(n * _period.Years)))
                    .AddMonths(checked((int)(n * _period.Months)))
                    .AddDays(checked(n * (_period.Weeks * 7 + _period.Days)));
                instant = ZonedTime.ToInstant(local, _zone);
            }
            return instant + TimeSpan.FromTicks(checked(n * _period.ElapsedPart.Ticks));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or ArgumentException or OverflowException)
        {
            return null;
        }
    }

    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        if (after < _start)
            return _start;
        // Occurrence(n) grows with n (an unrepresentable one counts as infinitely late), so find the smallest n
        // past `after`: double an upper bound from an estimate, then bisect keeping
        // Occurrence(low) <= after < Occurrence(high).
        var estimate = (after - _start).Ticks / Math.Max(1, _period.ShortestLength.Ticks);
        long low = 0, high = Math.Max(1, estimate + 1);
        while (Occurrence(high) is { } atHigh && atHigh <= after)
        {
            low = high;
            if (high > long.MaxValue / 2)
                return null;
            high *= 2;
        }
        while (high - low > 1)
        {
            var mid = low + (high - low) / 2;
            if (Occurrence(mid) is { } atMid && atMid <= after)
                low = mid;
            else
                high = mid;
        }
        return Occurrence(high);
    }
}
