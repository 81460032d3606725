using System.Globalization;
using System.Text.RegularExpressions;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Scheduling;

namespace ActorScheduler.Core.Tests.Scheduling;

/// <summary>
/// Literal UTC instants and zones for the specs. Every text must carry its offset: a bare local time would be
/// read in the machine's zone, and the specs must not depend on it.
/// </summary>
internal static class Instants
{
    public static DateTimeOffset Utc(string text)
    {
        if (!Regex.IsMatch(text, @"(Z|[+-]\d\d:\d\d)$"))
            throw new ArgumentException($"'{text}' has no offset; write UTC instants with a trailing Z.", nameof(text));
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>A comma-separated list of instants, as the theory grids state them.</summary>
    public static DateTimeOffset[] UtcList(string csv) =>
        csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Utc).ToArray();

    public static string Show(IEnumerable<DateTimeOffset> instants) =>
        string.Join(", ", instants.Select(i => i.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)));

    public static TimeZoneInfo Zone(string id) => ZonedTime.FindZone(id);

    public static RepeatPeriod Period(string json) => CoreJson.Deserialize<RepeatPeriod>(json);

    /// <summary>The first <paramref name="count"/> occurrences, the one at <paramref name="start"/> included.</summary>
    public static DateTimeOffset[] From(Schedule schedule, DateTimeOffset start, int count) =>
        schedule.Occurrences(start.AddTicks(-1), count).ToArray();

    public static void Equal(IEnumerable<DateTimeOffset> expected, IEnumerable<DateTimeOffset> actual, string because)
    {
        var (e, a) = (Show(expected), Show(actual));
        Assert.True(e == a, $"{because}\nexpected: {e}\nactual:   {a}");
    }
}
