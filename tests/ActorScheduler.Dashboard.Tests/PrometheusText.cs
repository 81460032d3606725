using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace ActorScheduler.Dashboard.Tests;

/// <summary>One sample line of a scrape: <c>name{label="value",…} value [timestamp]</c>.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() =>
        $"{Name}{{{string.Join(',', Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Reads Prometheus' text exposition format (version 0.0.4) strictly: blank lines and <c># …</c> comments aside,
/// every line must be a sample, or the whole scrape is refused naming the line.
/// </summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            samples.Add(ParseSample(line) ?? throw new XunitException($"Line {i + 1} of the scrape is not a Prometheus sample: {line}"));
        }
        return samples;
    }

    private static PrometheusSample? ParseSample(string line)
    {
        var match = Sample().Match(line);
        if (!match.Success || ParseValue(match.Groups["value"].Value) is not { } value)
            return null;
        var labels = new Dictionary<string, string>();
        var text = match.Groups["labels"].Value;
        var position = 0;
        foreach (Match label in Label().Matches(text))
        {
            if (label.Index != position)
                return null; // something between two labels that is not a label
            labels[label.Groups["name"].Value] = Unescape(label.Groups["value"].Value);
            position = label.Index + label.Length;
        }
        return position == text.Length ? new PrometheusSample(match.Groups["name"].Value, labels, value) : null;
    }

    private static double? ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
    };

    private static string Unescape(string value) =>
        Escape().Replace(value, escaped => escaped.Groups[1].Value == "n" ? "\n" : escaped.Groups[1].Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>(?:[^""}]|""(?:[^""\\]|\\.)*"")*)\})?\s+(?<value>\S+)(?:\s+-?\d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Escape();

    [GeneratedRegex(@"\s*(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""\s*,?")]
    private static partial Regex Label();
}
