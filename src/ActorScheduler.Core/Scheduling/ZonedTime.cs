namespace ActorScheduler.Core.Scheduling;

/// <summary>
/// Maps wall-clock times in a zone to instants, with the DST rules every schedule shares:
/// a time in a spring-forward gap moves forward by the gap's length (02:30 → 03:30), and a time that occurs
/// twice on fall-back day means its first occurrence (the one with the daylight offset).
/// </summary>
public static class ZonedTime
{
    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
            return true;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    public static TimeZoneInfo FindZone(string? id) => TryFindZone(id, out var zone)
        ? zone
        : throw new ArgumentException($"'{id}' is not a known IANA time zone (e.g. Europe/Amsterdam).", nameof(id));

    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).DateTime, DateTimeKind.Unspecified);

    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // In the gap: read the wall time with the offset in force just before it, which lands as far past
            // the gap's end as the time was past its start.
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local - before, TimeSpan.Zero);
        }
        var offset = zone.IsAmbiguousTime(local)
            ? zone.GetAmbiguousTimeOffsets(local).Max()
            : zone.GetUtcOffset(local);
        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }
}
