using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// "every P, decaying": the first occurrence is at start and the gap after occurrence k is
/// P·factor^k clamped to [min, max]. Decay is a property of the rule, not of the runs that happened, so the
/// occurrences are a pure function of (start, P, factor, min, max) and survive replay and outages unchanged.
/// Gaps are fixed lengths (a day is 24 h); months and years are refused by validation.
/// </summary>
public sealed class DecayingSchedule : Schedule
{
    /// <summary>The floor for a speeding-up schedule (factor below 1) with no <c>min</c> given.</summary>
    public static readonly TimeSpan DefaultMinimumGap = TimeSpan.FromSeconds(1);

    private readonly DateTimeOffset _start;
    private readonly TimeSpan _initial;
    private readonly double _factor;
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;

    public DecayingSchedule(DateTimeOffset start, TimeSpan initial, DecaySpec decay)
    {
        if (initial <= TimeSpan.Zero || decay.Factor <= 0)
            throw new ArgumentException("A decaying schedule needs a positive period and factor.", nameof(decay));
        _start = start;
        _initial = initial;
        _factor = decay.Factor;
        _min = decay.Min?.FixedLength ?? (decay.Factor < 1 ? DefaultMinimumGap : TimeSpan.FromTicks(1));
        _max = decay.Max?.FixedLength ?? TimeSpan.MaxValue;
    }

    /// <summary>The gap between occurrence k and k+1.</summary>
    public TimeSpan Gap(long k)
    {
        var ticks = _initial.Ticks * Math.Pow(_factor, k);
        if (double.IsNaN(ticks) || ticks >= _max.Ticks) return _max;
        return ticks <= _min.Ticks ? _min : TimeSpan.FromTicks((long)ticks);
    }

    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var occurrence = _start;
        for (long k = 0; occurrence <= after; k++)
        {
            var gap = Gap(k);
            if (IsSettled(gap))
                return Steady(occurrence, gap, after);
            if (DateTimeOffset.MaxValue - occurrence < gap)
                return null;
            occurrence += gap;
        }
        return occurrence;
    }

    private bool IsSettled(TimeSpan gap) =>
        _factor == 1 || (_factor < 1 && gap == _min) || (_factor > 1 && gap == _max);

    // Once clamped the gap never changes again (the factor moves it only further past the bound), so the rest
    // is arithmetic.
    private static DateTimeOffset? Steady(DateTimeOffset from, TimeSpan gap, DateTimeOffset after)
    {
        var steps = (after - from).Ticks / gap.Ticks + 1;
        var ticks = (decimal)from.UtcTicks + (decimal)steps * gap.Ticks;
        return ticks > DateTimeOffset.MaxValue.UtcTicks ? null : new DateTimeOffset((long)ticks, TimeSpan.Zero);
    }
}
