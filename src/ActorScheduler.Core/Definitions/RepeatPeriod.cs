using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// An amount of calendar time such as "1 month and 7 days". Years, months, weeks and days are calendar units
/// (added to the local date in the schedule's time zone); hours and smaller are elapsed time.
/// </summary>
[JsonConverter(typeof(RepeatPeriodJsonConverter))]
public sealed record RepeatPeriod
{
    public long Years { get; init; }
    public long Months { get; init; }
    public long Weeks { get; init; }
    public long Days { get; init; }
    public long Hours { get; init; }
    public long Minutes { get; init; }
    public long Seconds { get; init; }
    public long Milliseconds { get; init; }

    /// <summary>Unit keys as the contract lists them: long name and shorthand (case matters: M is months, m minutes).</summary>
    public static readonly IReadOnlyList<(string Name, string Short)> Units =
    [
        ("years", "y"), ("months", "M"), ("weeks", "w"), ("days", "d"),
        ("hours", "h"), ("minutes", "m"), ("seconds", "s"), ("milliseconds", "ms"),
    ];

    public bool HasCalendarPart => Years != 0 || Months != 0 || Weeks != 0 || Days != 0;

    public bool HasVariableLength => Years != 0 || Months != 0;

    /// <summary>Every unit is zero. Read from the units, not summed, so that asking cannot overflow.</summary>
    public bool IsZero => Values().All(v => v == 0);

    public bool AnyNegative => Values().Any(v => v < 0);

    /// <summary>The Gregorian calendar's average year, in days.</summary>
    public const double DaysPerYear = 365.2425;

    /// <summary>
    /// The period's length in days, with a year at its average of 365.2425 days and a month at a twelfth of that:
    /// for bounds and messages, not for arithmetic. A double, so no amount of any unit overflows it.
    /// </summary>
    public double NominalDays =>
        Years * DaysPerYear + Months * (DaysPerYear / 12) + Weeks * 7.0 + Days +
        (Hours * (double)TimeSpan.TicksPerHour + Minutes * (double)TimeSpan.TicksPerMinute +
         Seconds * (double)TimeSpan.TicksPerSecond + Milliseconds * (double)TimeSpan.TicksPerMillisecond) / TimeSpan.TicksPerDay;

    /// <summary>The hours-and-smaller part, as elapsed time.</summary>
    public TimeSpan ElapsedPart => TimeSpan.FromTicks(checked(
        Hours * TimeSpan.TicksPerHour + Minutes * TimeSpan.TicksPerMinute +
        Seconds * TimeSpan.TicksPerSecond + Milliseconds * TimeSpan.TicksPerMillisecond));

    /// <summary>The period as a fixed duration (a day counted as 24 h); only for periods without years or months.</summary>
    public TimeSpan FixedLength => HasVariableLength
        ? throw new InvalidOperationException("A period with years or months has no fixed length.")
        : TimeSpan.FromTicks(checked((Weeks * 7 + Days) * TimeSpan.TicksPerDay)) + ElapsedPart;

    /// <summary>A lower bound on the period's elapsed length, for search bounds (short months, 23-hour days).</summary>
    public TimeSpan ShortestLength => TimeSpan.FromTicks(checked(
        Years * 365 * TimeSpan.TicksPerDay + Months * 28 * TimeSpan.TicksPerDay +
        (Weeks * 7 + Days) * 23 * TimeSpan.TicksPerHour)) + ElapsedPart;

    internal long[] Values() => [Years, Months, Weeks, Days, Hours, Minutes, Seconds, Milliseconds];

    internal static RepeatPeriod FromValues(IReadOnlyList<long> v) => new()
    {
        Years = v[0], Months = v[1], Weeks = v[2], Days = v[3],
        Hours = v[4], Minutes = v[5], Seconds = v[6], Milliseconds = v[7],
    };

    public static RepeatPeriod FromFixed(TimeSpan length) => new() { Milliseconds = (long)length.TotalMilliseconds };

    public override string ToString()
    {
        var parts = Values().Zip(Units).Where(p => p.First != 0).Select(p => $"{p.First} {p.Second.Name}");
        return IsZero ? "0" : string.Join(" and ", parts);
    }
}

/// <summary>
/// Reads <c>{ "months": 1, "d": 7 }</c> with long or short keys (case-sensitive, since M and m differ) and
/// writes long keys, leaving zero units out. An unknown key or a repeated unit is a JSON error naming the key.
/// </summary>
public sealed class RepeatPeriodJsonConverter : JsonConverter<RepeatPeriod>
{
    public override RepeatPeriod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A period must be an object of units, e.g. { \"months\": 1, \"days\": 7 }.");
        var values = new long[RepeatPeriod.Units.Count];
        var seen = new bool[values.Length];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            var unit = IndexOf(key);
            if (unit < 0)
                throw new JsonException($"Unknown period unit '{key}': use {UnitList()}.");
            if (seen[unit])
                throw new JsonException($"Period unit '{key}' is given twice ({RepeatPeriod.Units[unit].Name} has two keys).");
            seen[unit] = true;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out values[unit]))
                throw new JsonException($"Period unit '{key}' must be a whole number.");
        }
        return RepeatPeriod.FromValues(values);
    }

    public override void Write(Utf8JsonWriter writer, RepeatPeriod value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (amount, unit) in value.Values().Zip(RepeatPeriod.Units))
            if (amount != 0)
                writer.WriteNumber(unit.Name, amount);
        writer.WriteEndObject();
    }

    private static int IndexOf(string key)
    {
        for (var i = 0; i < RepeatPeriod.Units.Count; i++)
            if (RepeatPeriod.Units[i].Name == key || RepeatPeriod.Units[i].Short == key)
                return i;
        return -1;
    }

    private static string UnitList() => string.Join(", ", RepeatPeriod.Units.Select(u => $"{u.Name}|{u.Short}"));
}
