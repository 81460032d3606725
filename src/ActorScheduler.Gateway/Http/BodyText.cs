using System.Text;
using System.Text.Json;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// What no string of a request body may hold, wherever it is (run data and property names included): U+0000,
/// which PostgreSQL text and process arguments cannot carry, and text that is not Unicode (invalid UTF-8, or an
/// escaped surrogate without its pair), which cannot be written back out (a job holding it in its data never
/// answered). Nor may an object name a property twice: parsers disagree on which one counts, and the deserializer
/// would silently keep the last. One pass of the reader before anything is deserialized finds the first such
/// string and names its field; malformed JSON is left to the deserializer, which describes it.
/// </summary>
internal static class BodyText
{
    private sealed class Level(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    public static ValidationError? Problem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var levels = new List<Level>();
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    levels.RemoveAt(levels.Count - 1);
                    continue;
                }
                if (token == JsonTokenType.PropertyName)
                {
                    var level = levels[^1];
                    level.Name = null;
                    if (Unstorable(ref reader, out var name) is { } nameProblem)
                        return new ValidationError(FieldOf(levels), $"has a property name that {nameProblem}");
                    level.Name = name;
                    if (!level.Names.Add(name!))
                        return new ValidationError(FieldOf(levels), "is given twice: name each property once.");
                    continue;
                }
                if (levels.Count > 0 && levels[^1].IsArray)
                    levels[^1].Index++;
                if (token == JsonTokenType.String && Unstorable(ref reader, out _) is { } valueProblem)
                    return new ValidationError(FieldOf(levels), valueProblem);
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    levels.Add(new Level(token == JsonTokenType.StartArray));
            }
        }
        catch (JsonException)
        {
            // Not well-formed: deserializing says where and why.
        }
        return null;
    }

    /// <summary>Why the current string cannot be stored, or null when it can.</summary>
    private static string? Unstorable(ref Utf8JsonReader reader, out string? text)
    {
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException)
        {
            text = null;
            return "is not Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800).";
        }
        return text!.Contains('\0') ? "contains U+0000 (NUL), which cannot be stored." : null;
    }

    /// <summary><c>triggers[0].on</c>, as <see cref="JsonInputErrors"/> names fields; the body itself is <c>body</c>.</summary>
    private static string FieldOf(List<Level> levels)
    {
        var field = new StringBuilder();
        foreach (var level in levels)
        {
            if (level.IsArray && level.Index >= 0)
                field.Append('[').Append(level.Index).Append(']');
            else if (!level.IsArray && level.Name is not null)
                field.Append(field.Length == 0 ? "" : ".").Append(level.Name);
        }
        return field.Length == 0 ? "body" : field.ToString();
    }
}
