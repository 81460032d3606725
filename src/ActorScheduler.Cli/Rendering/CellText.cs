using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorScheduler.Cli.Rendering;

/// <summary>How one JSON value reads in a table cell, a line or a grid: plain text, nested values as compact JSON.</summary>
internal static class CellText
{
    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => CompactJson(value),
    };

    /// <summary>The value as one line of JSON, whatever spacing the host used.</summary>
    public static string CompactJson(JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? "null" : JsonSerializer.Serialize(value, Readable);

    /// <summary>
    /// Output for terminals, files and jq, never embedded in HTML: quotes, &lt;, &gt; and &amp; stay as they are
    /// instead of \u0022-style escapes (still valid JSON).
    /// </summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Property(JsonElement row, string name) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty(name, out var value) ? Of(value) : "";

    /// <summary>The columns to show: those the host named, else the properties of the rows in order of appearance.</summary>
    public static IReadOnlyList<string> Columns(IReadOnlyList<string>? named, IEnumerable<JsonElement> rows) =>
        named is { Count: > 0 }
            ? named
            : rows.Where(r => r.ValueKind == JsonValueKind.Object).SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
}
