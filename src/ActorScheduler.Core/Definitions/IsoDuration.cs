using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// ISO 8601 durations for fixed lengths: <c>PnW</c>, <c>PnDTnHnMnS</c> (fractional seconds allowed, a leading
/// '-' for negative). Years and months are refused: they have no fixed length (use a schedule's
/// <c>every</c> for calendar months).
/// </summary>
public static partial class IsoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success || text!.EndsWith('T') || text.TrimStart('-') == "P")
        {
            error = $"'{text}' is not an ISO 8601 duration such as PT30S, PT5M, P1D or P1DT12H.";
            return false;
        }
        if (match.Groups["years"].Success || match.Groups["months"].Success)
        {
            error = $"'{text}' uses years or months, which have no fixed length; use days (P30D) instead.";
            return false;
        }
        try
        {
            var ticks = checked(
                Part(match, "weeks") * 7 * TimeSpan.TicksPerDay + Part(match, "days") * TimeSpan.TicksPerDay +
                Part(match, "hours") * TimeSpan.TicksPerHour + Part(match, "minutes") * TimeSpan.TicksPerMinute +
                (long)(decimal.Parse(match.Groups["seconds"].Success ? match.Groups["seconds"].Value : "0",
                    CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
            duration = TimeSpan.FromTicks(match.Groups["sign"].Success ? -ticks : ticks);
            return true;
        }
        catch (Exception e) when (e is OverflowException or FormatException)
        {
            error = $"'{text}' is too long a duration.";
            return false;
        }
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "PT0S";
        var text = new StringBuilder(duration < TimeSpan.Zero ? "-P" : "P");
        var d = duration.Duration();
        if (d.Days > 0) text.Append(d.Days).Append('D');
        if (d.Ticks % TimeSpan.TicksPerDay == 0)
            return text.ToString();
        text.Append('T');
        if (d.Hours > 0) text.Append(d.Hours).Append('H');
        if (d.Minutes > 0) text.Append(d.Minutes).Append('M');
        var seconds = (decimal)(d.Ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        if (seconds > 0) text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('S');
        return text.ToString();
    }

    private static long Part(Match match, string name) =>
        match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;

    // \z, not $: '$' also matches before a final newline. [0-9], not \d: \d matches the digits of every script.
    [GeneratedRegex(@"^(?<sign>-)?P(?:(?<years>[0-9]+)Y)?(?:(?<months>[0-9]+)M)?(?:(?<weeks>[0-9]+)W)?(?:(?<days>[0-9]+)D)?(?:T(?:(?<hours>[0-9]+)H)?(?:(?<minutes>[0-9]+)M)?(?:(?<seconds>[0-9]+(?:\.[0-9]+)?)S)?)?\z")]
    private static partial Regex Pattern();
}

public sealed class IsoDurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("A duration must be an ISO 8601 string such as \"PT30S\".");
        return IsoDuration.TryParse(reader.GetString(), out var duration, out var error)
            ? duration
            : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(IsoDuration.Format(value));
}

/// <summary>
/// Writes instants in UTC ("2026-12-01T00:00:00Z"); reads any ISO 8601 time with an offset. White space and
/// control characters are refused although DateTimeOffset's parser would skip them: a time is one token.
/// </summary>
public sealed partial class UtcInstantJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !Shape().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            throw new JsonException($"'{text}' is not an ISO 8601 time such as \"2026-12-01T00:00:00Z\".");
        return value.ToUniversalTime();
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^\s\p{C}]*\z")]
    private static partial Regex Shape();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
