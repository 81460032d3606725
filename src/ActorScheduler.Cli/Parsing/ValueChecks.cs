using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Parsing;

/// <summary>
/// The checks schedctl makes before anything is sent, so that a typo costs no round trip and the message can name
/// the option as the user typed it. The host checks again: these only catch what is plainly malformed.
/// </summary>
internal static partial class ValueChecks
{
    /// <summary>Null when <paramref name="value"/> suits the parameter's type; otherwise a sentence about it.</summary>
    /// <param name="shownName">How the user refers to the parameter: <c>--limit</c> or <c>&lt;id&gt;</c>.</param>
    public static string? Problem(string type, string value, string shownName) => type switch
    {
        ParameterTypes.Integer when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"{shownName} expects a whole number, such as 10; got '{value}'.",
        ParameterTypes.Time when !IsTimeWithOffset(value) =>
            $"{shownName} expects a time in ISO 8601 with an offset, such as 2025-06-01T08:00:00Z or 2025-06-01T10:00:00+02:00; got '{value}'.",
        ParameterTypes.Json => JsonProblem(value, shownName),
        _ => null,
    };

    private static bool IsTimeWithOffset(string value) =>
        IsoTimeWithOffset().IsMatch(value) &&
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? JsonProblem(string value, string shownName)
    {
        try
        {
            using var _ = JsonDocument.Parse(value);
            return null;
        }
        catch (JsonException e)
        {
            return $"{shownName} expects JSON, such as '{{\"region\":\"eu\"}}' (quote it for the shell): {e.Message}";
        }
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$")]
    private static partial Regex IsoTimeWithOffset();
}
