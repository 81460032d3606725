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

public sealed record ResultRow(string Scenario, string Metric, string Unit, Better Better, Cell Ours, Cell Quartz, Cell Hangfire)
{
    /// <summary>Above 1 when ActorScheduler does better than Quartz, whichever direction is good for the metric.</summary>
    public double? Ratio => RatioTo(Quartz);

    /// <summary>The same against Hangfire.</summary>
    public double? HangfireRatio => RatioTo(Hangfire);

    private double? RatioTo(Cell other) => (Ours.Value, other.Value) switch
    {
        ({ } ours, { } theirs) when ours > 0 && theirs > 0 => Better == Better.Higher ? ours / theirs : theirs / ours,
        _ => null,
    };
}

/// <summary>The one Markdown table the harness prints on stdout.</summary>
public sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public void Add(ResultRow row) => _rows.Add(row);

    public void Add(string scenario, string metric, string unit, Better better, Cell ours, Cell quartz, Cell hangfire) =>
        _rows.Add(new ResultRow(scenario, metric, unit, better, ours, quartz, hangfire));

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | metric | ActorScheduler | Quartz.NET 4.7.3 (ADO store) | Hangfire 1.8.25 | ratio vs Quartz | ratio vs Hangfire |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in _rows)
            text.AppendLine($"| {row.Scenario} | {row.Metric} | {Format(row.Ours, row.Unit)} | {Format(row.Quartz, row.Unit)} | {Format(row.Hangfire, row.Unit)} | " +
                $"{FormatRatio(row.Ratio)} | {FormatRatio(row.HangfireRatio)} |");
        text.AppendLine();
        text.AppendLine("Ratios above 1 mean ActorScheduler did better: ours ÷ theirs for rates and counts, theirs ÷ ours for lateness, times, memory and CPU. " +
            "Hangfire stores on Hangfire.Storage.SQLite 0.4.3 or Hangfire.PostgreSql 1.21.1.");
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
        "ms" or "s" or "KB" or "%" => value.ToString(Math.Abs(value) >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture),
        "cores" => value.ToString("0.000", CultureInfo.InvariantCulture),
        _ => value.ToString("N0", CultureInfo.InvariantCulture),
    };
}
