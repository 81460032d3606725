using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Definitions;

/// <summary>Validation of the <c>schedule</c> object, shared by job definitions and the preview endpoint.</summary>
public static class ScheduleValidator
{
    /// <summary>The longest <c>after</c>: anchor + after must stay within the calendar (year 9999).</summary>
    public static readonly TimeSpan MaxAfter = TimeSpan.FromDays(36_500);

    /// <summary>The longest <c>every</c> period or decay bound: 10,000 years, the span of the calendar.</summary>
    public const double MaxPeriodDays = 10_000 * RepeatPeriod.DaysPerYear;

    /// <summary>
    /// How far a decay factor other than 1 must be from 1. DecayingSchedule steps gap by gap until the gap settles
    /// at a bound or passes the instant asked about: with 1.001 that is some tens of thousands of steps at most (a 1 ms gap
    /// grows to 10,000 years), with 1.000000000000001 it is trillions, and a preview or a job would never answer.
    /// </summary>
    public const double MinDecayChange = 0.001;

    public static IReadOnlyList<ValidationError> Validate(ScheduleSpec schedule, string field = "schedule")
    {
        var errors = new List<ValidationError>();
        Validate(schedule, field, (f, m) => errors.Add(new ValidationError(f, m)));
        return errors;
    }

    // Any fixed instant will do for asking whether a cron ever fires; a fixed one keeps validation pure.
    private static readonly DateTimeOffset NeverFiresProbe = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static void Validate(ScheduleSpec s, string field, Action<string, string> error)
    {
        var forms = new List<string>();
        if (s.Cron is not null) forms.Add("cron");
        if (s.Every is not null) forms.Add("every");
        if (s.At is not null) forms.Add("at");
        if (s.After is not null) forms.Add("after");
        if (forms.Count != 1)
        {
            error(field, forms.Count == 0
                ? "has no form: give one of cron, every, at or after (or leave schedule out for an on-demand job)."
                : $"must have exactly one of cron, every, at or after, not {string.Join(" and ", forms)}.");
            return;
        }

        if (!ZonedTime.TryFindZone(s.TimeZone, out var zone))
            error($"{field}.timeZone", $"'{s.TimeZone}' is not a known IANA time zone (e.g. Europe/Amsterdam).");
        if (s.TimeZone is not null && s.Cron is null && s.Every is null)
            error($"{field}.timeZone", "applies only to cron and every.");
        if (s.Start is not null && s.Every is null) error($"{field}.start", "applies only to every.");
        if (s.Decay is not null && s.Every is null) error($"{field}.decay", "applies only to every.");

        if (s.Cron is not null)
        {
            // Cronos would take a tab or a line break as a separator, but fields are counted between spaces.
            if (s.Cron.Any(char.IsControl))
                error($"{field}.cron", "must separate its fields with spaces: tabs, line breaks and other control characters are not allowed.");
            else if (!CronSchedule.TryParse(s.Cron, zone, out var cron, out var cronError))
                error($"{field}.cron", cronError!);
            else if (cron!.NextAfter(NeverFiresProbe) is null)
                error($"{field}.cron", $"'{s.Cron}' is valid cron but never fires (e.g. February 30).");
        }
        if (s.Every is { } every)
        {
            ValidatePeriod(every, $"{field}.every", error);
            if (s.Decay is { } decay) ValidateDecay(decay, every, $"{field}.decay", error);
        }
        if (s.After is { } after && after < TimeSpan.Zero) error($"{field}.after", "must not be negative.");
        else if (s.After > MaxAfter) error($"{field}.after", $"must be at most {IsoDuration.Format(MaxAfter)} (100 years).");
    }

    private static void ValidatePeriod(RepeatPeriod period, string field, Action<string, string> error)
    {
        if (period.AnyNegative) error(field, $"units must not be negative ({period}).");
        else if (period.IsZero) error(field, "must give at least one unit above zero, e.g. { \"minutes\": 5 }.");
        else if (IsTooLong(period)) error(field, TooLong(period));
    }

    // Measured in doubles, so that no amount of any unit overflows the check itself. Within 10,000 years every
    // unit's ticks and their sum fit in a TimeSpan (about 29,000 years): a period that passes can be added up with
    // checked arithmetic (ElapsedPart, FixedLength, ShortestLength) without overflowing.
    private static bool IsTooLong(RepeatPeriod period) => period.NominalDays > MaxPeriodDays;

    private static string TooLong(RepeatPeriod period) => $"is too long ({period}): at most 10000 years.";

    private static void ValidateDecay(DecaySpec decay, RepeatPeriod every, string field, Action<string, string> error)
    {
        if (!(decay.Factor > 0 && decay.Factor <= 1000))
            error($"{field}.factor", $"must be above 0 and at most 1000, not {decay.Factor}.");
        else if (decay.Factor != 1 && Math.Round(Math.Abs(decay.Factor - 1), 9) < MinDecayChange)
            error($"{field}.factor", $"must be 1 (no decay) or differ from 1 by at least {MinDecayChange}, not {decay.Factor}.");
        if (every.HasVariableLength)
            error(field, "needs fixed-length units in every (weeks to milliseconds): months and years cannot be multiplied.");
        foreach (var (bound, name) in new[] { (decay.Min, "min"), (decay.Max, "max") })
        {
            if (bound is null) continue;
            if (bound.HasVariableLength) error($"{field}.{name}", "must use fixed-length units (weeks to milliseconds).");
            else if (bound.AnyNegative || bound.IsZero) error($"{field}.{name}", "must be positive.");
            else if (IsTooLong(bound)) error($"{field}.{name}", TooLong(bound));
        }
        if (decay.Min is { } min && IsUsableBound(min) && decay.Max is { } max && IsUsableBound(max) &&
            max.FixedLength < min.FixedLength)
            error($"{field}.max", $"({max}) must not be shorter than min ({min}).");
    }

    private static bool IsUsableBound(RepeatPeriod bound) =>
        !bound.HasVariableLength && !bound.AnyNegative && !bound.IsZero && !IsTooLong(bound);
}
