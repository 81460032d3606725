using System.Globalization;
using System.Text;

namespace ActorScheduler.Bench.Report;

/// <summary>Which direction is good for a metric; it decides how the ratio is taken.</summary>
public enum Better { Higher, Lower }

/// <summary>A measured value, a value with a caveat, or only the reason there is no value.</summary>
public sealed record Cell(double? Value, string? Note = null)
{
    public static Cell Of(double value, string? note = null) => new(value, note);

    public static Cell Missing(string why) => new(null, why);
}

public sealed record ResultRow(string Scenario, string Metric, string Unit, Better Better, Cell Ours, Cell Quartz)
{
    /// <summary>Above 1 when ActorScheduler does better, whichever direction is good for the metric.</summary>
    public double? Ratio => (Ours.Value, Quartz.Value) switch
    {
        ({ } ours, { } quartz) when ours > 0 && quartz > 0 => Better == Better.Higher ? ours / quartz : quartz / ours,
        _ => null,
    };
}

/// <summary>The one Markdown table the harness prints on stdout.</summary>
public sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public void Add(ResultRow row) => _rows.Add(row);

    public void Add(string scenario, string metric, string unit, Better better, Cell ours, Cell quartz) =>
        _rows.Add(new ResultRow(scenario, metric, unit, better, ours, quartz));

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | metric | ActorScheduler | Quartz.NET 4.7.3 (ADO store) | ratio (>1 = ActorScheduler better: ours/Quartz for rates and counts, Quartz/ours for lateness, times, memory, CPU) |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (var row in _rows)
            text.AppendLine($"| {row.Scenario} | {row.Metric} | {Format(row.Ours, row.Unit)} | {Format(row.Quartz, row.Unit)} | {FormatRatio(row.Ratio)} |");
        return text.ToString();
    }

    private static string FormatRatio(double? ratio) => ratio is { } r ? r.ToString(r >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture) + "×" : "—";

    private static string Format(Cell cell, string unit)
    {
        var value = cell.Value is { } v ? $"{Number(v, unit)} {unit}".TrimEnd() : null;
        return (value, cell.Note) switch
        {
            ({ } shown, { } note) => $"{shown} ({note})",
            ({ } shown, null) => shown,
            (null, { } note) => note,
            _ => "—",
        };
    }

    private static string Number(double value, string unit) => unit switch
    {
        "ms" or "s" => value.ToString(Math.Abs(value) >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture),
        "cores" => value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => value.ToString("N0", CultureInfo.InvariantCulture),
    };
}
