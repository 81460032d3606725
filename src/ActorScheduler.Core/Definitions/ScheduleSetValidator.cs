using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// Validation of a definition's schedule fields together: <c>schedule</c> or <c>schedules</c>, <c>exclude</c> and
/// <c>jitter</c>. Shared by job definitions and the preview endpoint, so both refuse the same input with the same words.
/// </summary>
public static class ScheduleSetValidator
{
    public const int MaxSchedules = 32;
    public const int MaxExclusions = 64;
    public const int MaxExcludedDates = 1_000;

    /// <summary>The longest jitter: a day, so a delayed run still belongs to the day it was planned for.</summary>
    public static readonly TimeSpan MaxJitter = TimeSpan.FromDays(1);

    // As ScheduleValidator's probe: a fixed instant keeps validation pure.
    private static readonly DateTimeOffset ExhaustionProbe = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<ValidationError> Validate(JobDefinition definition)
    {
        var errors = new List<ValidationError>();
        Validate(definition, (f, m) => errors.Add(new ValidationError(f, m)));
        return errors;
    }

    internal static void Validate(JobDefinition d, Action<string, string> error)
    {
        var before = 0;
        void Error(string field, string message) { before++; error(field, message); }

        if (d.Schedule is not null && d.Schedules is not null)
            Error("schedules", "cannot be given with schedule: use schedule for one, schedules for several.");
        if (d.Schedule is { } schedule)
            ScheduleValidator.Validate(schedule, "schedule", Error);
        if (d.Schedules is { } schedules)
        {
            if (schedules.Count is 0 or > MaxSchedules)
                Error("schedules", $"must list from 1 to {MaxSchedules} schedules, not {schedules.Count}; leave it out for an on-demand job.");
            for (var i = 0; i < schedules.Count; i++)
            {
                if (schedules[i] is null) Error($"schedules[{i}]", "must not be null.");
                else ScheduleValidator.Validate(schedules[i], $"schedules[{i}]", Error);
            }
        }
        if (d.Exclude is { } exclude)
            ValidateExclude(exclude, d.HasSchedule, Error);
        if (d.Jitter is { } jitter)
        {
            if (jitter <= TimeSpan.Zero) Error("jitter", $"must be positive, not {IsoDuration.Format(jitter)}; leave it out for none.");
            else if (jitter > MaxJitter) Error("jitter", $"must be at most {IsoDuration.Format(MaxJitter)}, not {IsoDuration.Format(jitter)}.");
            if (!d.HasSchedule) Error("jitter", "applies only with schedule or schedules.");
        }
        if (before == 0 && d.Exclude is { Count: > 0 } && ScheduleSet.GivesUp(d, ExhaustionProbe, ExhaustionProbe))
            error("exclude", $"excludes every occurrence: {MaxExcludedRun} excluded days, minutes or seconds in a row were examined without finding one that runs.");
    }

    private const string MaxExcludedRun = "100,000";

    private static void ValidateExclude(IReadOnlyList<ExcludeSpec> exclude, bool hasSchedule, Action<string, string> error)
    {
        if (!hasSchedule) error("exclude", "applies only with schedule or schedules.");
        if (exclude.Count > MaxExclusions) error("exclude", $"may list at most {MaxExclusions} exclusions, not {exclude.Count}.");
        for (var i = 0; i < exclude.Count; i++)
        {
            var (e, field) = (exclude[i], $"exclude[{i}]");
            if (e is null) { error(field, "must not be null."); continue; }
            if ((e.Cron is null) == (e.Dates is null))
            {
                error(field, "must have exactly one of cron or dates.");
                continue;
            }
            if (!ZonedTime.TryFindZone(e.TimeZone, out var zone))
                error($"{field}.timeZone", $"'{e.TimeZone}' is not a known IANA time zone (e.g. Europe/Amsterdam).");
            if (e.Cron is not null)
            {
                if (e.Cron.Any(char.IsControl))
                    error($"{field}.cron", "must separate its fields with spaces: tabs, line breaks and other control characters are not allowed.");
                else if (!CronSchedule.TryParse(e.Cron, zone, out _, out var cronError))
                    error($"{field}.cron", cronError!);
            }
            if (e.Dates is { } dates && dates.Count is 0 or > MaxExcludedDates)
                error($"{field}.dates", $"must list from 1 to {MaxExcludedDates} dates (yyyy-MM-dd), not {dates.Count}.");
        }
    }
}
