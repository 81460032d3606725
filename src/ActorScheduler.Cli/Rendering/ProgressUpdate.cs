using System.Globalization;
using System.Text.Json;

namespace ActorScheduler.Cli.Rendering;

/// <summary>
/// One progress frame's data, <c>{"key","label","done","total","state"}</c>. A missing or zero total means the
/// amount of work is not known: no percentage then. The bar is finished once the state is not "running".
/// </summary>
internal sealed record ProgressUpdate(string Key, string Label, long Done, long? Total, string State)
{
    public const string Running = "running";

    public bool IsRunning => State == Running;

    public string Count => Total is > 0 ? $"{Done}/{Total}" : Done.ToString(CultureInfo.InvariantCulture);

    public string Percent => Total is > 0 and var total ? $"{Math.Clamp(Done * 100 / total, 0, 100)}%" : "";

    /// <summary>The line printed for a change when the output is not a terminal: <c>[build] 3/10 30%</c>, plus the state once done.</summary>
    public string PlainLine()
    {
        var figures = Percent.Length > 0 ? $"{Count} {Percent}" : Count;
        return IsRunning ? $"[{Label}] {figures}" : $"[{Label}] {figures} {State}";
    }

    public static ProgressUpdate From(JsonElement data)
    {
        var label = Text(data, "label");
        var key = Text(data, "key") ?? label ?? "progress";
        return new ProgressUpdate(key, label ?? key, Number(data, "done") ?? 0, Number(data, "total"), Text(data, "state") ?? Running);
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static long? Number(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number &&
        value.TryGetDouble(out var number)
            ? (long)number
            : null;
}
