using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// A job's occurrences from its definition's schedule fields, in this order: the union of <c>schedule</c> or
/// <c>schedules</c>, less what <c>exclude</c> covers, then delayed by <c>jitter</c>. A jittered occurrence is never
/// delayed up to the next occurrence that survived the exclusions. The job plan, the job view and the preview all
/// compile through here, so they agree.
/// </summary>
public static class ScheduleSet
{
    /// <summary>Compiles a validated definition's schedule fields, or null when it has no schedule.</summary>
    public static Schedule? Compile(JobDefinition definition, DateTimeOffset anchor)
    {
        IReadOnlyList<ScheduleSpec> specs = definition.Schedules ?? (definition.Schedule is { } one ? [one] : []);
        if (specs.Count == 0)
            return null;
        var schedule = specs.Count == 1 ? Schedule.Compile(specs[0], anchor) : new UnionSchedule([.. specs.Select(s => Schedule.Compile(s, anchor))]);
        if (definition.Exclude is { Count: > 0 } exclude)
            schedule = new ExcludingSchedule(schedule, [.. exclude.Select(e => CompileExclusion(e, DefaultZone(specs)))]);
        if (definition.Jitter is { } jitter && jitter > TimeSpan.Zero)
            schedule = new JitteredSchedule(schedule, definition.Id ?? "", jitter);
        return schedule;
    }

    /// <summary>
    /// The zone an exclusion without its own <c>timeZone</c> is read in: the one every schedule names (a schedule
    /// without a zone counts as UTC), and UTC when they differ.
    /// </summary>
    public static string? DefaultZone(IReadOnlyList<ScheduleSpec> specs)
    {
        var zones = specs.Select(s => string.IsNullOrWhiteSpace(s.TimeZone) ? "UTC" : s.TimeZone).Distinct().ToList();
        return zones.Count == 1 ? zones[0] : null;
    }

    private static Exclusion CompileExclusion(ExcludeSpec spec, string? defaultZone)
    {
        var zone = ZonedTime.FindZone(spec.TimeZone ?? defaultZone);
        return spec.Cron is not null
            ? new CronExclusion(CronSchedule.Parse(spec.Cron, zone))
            : new DatesExclusion(spec.Dates ?? [], zone);
    }

    /// <summary>
    /// The next <paramref name="count"/> occurrences after <paramref name="from"/> (also the anchor, as for
    /// <see cref="Schedule.Preview"/>), and why fewer came when the exclusion search gave up.
    /// </summary>
    public static (IReadOnlyList<DateTimeOffset> Occurrences, string? Note) Preview(JobDefinition definition, DateTimeOffset from, int count)
    {
        var found = new List<DateTimeOffset>(count);
        try
        {
            if (Compile(definition, from) is { } schedule)
                found.AddRange(schedule.Occurrences(from, count));
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
        }
        return (found, found.Count < count && GivesUp(definition, found.Count > 0 ? found[^1] : from, from) ? ExcludingSchedule.GaveUpReason : null);
    }

    /// <summary>Whether the exclusion search gives up looking past <paramref name="after"/>.</summary>
    public static bool GivesUp(JobDefinition definition, DateTimeOffset after, DateTimeOffset anchor)
    {
        if (definition.Exclude is not { Count: > 0 } || !definition.HasSchedule)
            return false;
        var unjittered = Compile(definition with { Jitter = null }, anchor);
        return unjittered is ExcludingSchedule excluding && excluding.Search(after).GaveUp;
    }
}
