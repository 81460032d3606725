using Cronos;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// Cron with 5 fields (minute precision) or 6 (leading seconds), evaluated in an IANA zone by Cronos. DST as
/// Cronos defines it: times in a spring-forward gap fire once, at the gap's end (02:30 → 03:00); on fall-back
/// day an expression whose second, minute and hour fields are plain values or lists fires once, in the first
/// (daylight) pass, while a wildcard, step or range in any of those three fields ("0 0 * * * *",
/// "0 */30 2 * * *", "0 0 2-3 * * *") fires in both passes of the repeated hour. Pinned by CronDstSpecs.
/// </summary>
public sealed class CronSchedule : Schedule
{
    private readonly CronExpression _expression;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression expression, TimeZoneInfo zone, TimeSpan resolution)
    {
        _expression = expression;
        _zone = zone;
        Resolution = resolution;
    }

    /// <summary>The finest unit the expression names: a second with 6 fields, a minute with 5.</summary>
    public TimeSpan Resolution { get; }

    /// <summary>Whether the second (6 fields) or minute (5 fields) that <paramref name="instant"/> falls in is one this cron fires at.</summary>
    public bool Covers(DateTimeOffset instant)
    {
        var start = new DateTimeOffset(instant.UtcTicks - instant.UtcTicks % Resolution.Ticks, TimeSpan.Zero);
        return start > DateTimeOffset.MinValue && NextAfter(start.AddTicks(-1)) == start;
    }

    public static bool TryParse(string text, TimeZoneInfo zone, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6) && !text.TrimStart().StartsWith('@'))
        {
            error = $"'{text}' has {fields} fields; cron needs 5 (minute hour day month weekday) or 6 (with seconds first).";
            return false;
        }
        try
        {
            var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            schedule = new CronSchedule(CronExpression.Parse(text, format), zone, fields == 6 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1));
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"'{text}' is not a valid cron expression: {e.Message}";
            return false;
        }
    }

    public static CronSchedule Parse(string text, TimeZoneInfo zone) =>
        TryParse(text, zone, out var schedule, out var error) ? schedule! : throw new FormatException(error);

    public override DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        var next = _expression.GetNextOccurrence(after.UtcDateTime, _zone, inclusive: false);
        return next is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }
}
