using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ActorScheduler.Core;

/// <summary>A job's identity: <c>[A-Za-z0-9._-]{1,128}</c>, as the HTTP contract fixes it.</summary>
[JsonConverter(typeof(JobIdJsonConverter))]
public readonly partial record struct JobId
{
    public string Value { get; }

    private JobId(string value) => Value = value;

    /// <summary>The rule a job id follows, as every message that refuses one states it.</summary>
    public const string Rule = "1 to 128 characters from A-Z, a-z, 0-9, '.', '_' and '-'";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>Why <paramref name="value"/> is refused as a job id.</summary>
    public static string Problem(string? value) => $"'{value}' must be {Rule}.";

    public static JobId Parse(string value) => IsValid(value)
        ? new JobId(value)
        : throw new FormatException($"'{value}' is not a valid job id: use {Rule}.");

    public override string ToString() => Value;

    // \z, not $: in .NET '$' also matches before a final newline, which would let "nightly\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,128}\z")]
    private static partial Regex Pattern();
}

/// <summary>
/// A run's identity, <c>{jobId}~{sequence}</c>: the job id is inside it, so any node can route a run query to
/// its job without a lookup table. '~' cannot occur in a job id, so the split is unambiguous.
/// </summary>
[JsonConverter(typeof(RunIdJsonConverter))]
public readonly record struct RunId(JobId Job, long Sequence)
{
    public const char Separator = '~';

    public override string ToString() => $"{Job.Value}{Separator}{Sequence}";

    public static bool TryParse(string? text, out RunId runId)
    {
        runId = default;
        var at = text?.LastIndexOf(Separator) ?? -1;
        if (at <= 0 || !JobId.IsValid(text![..at]) || !long.TryParse(text[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
            return false;
        runId = new RunId(JobId.Parse(text[..at]), sequence);
        return true;
    }
}

/// <summary>A job id on the wire is its plain string.</summary>
public sealed class JobIdJsonConverter : JsonConverter<JobId>
{
    public override JobId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } text && JobId.IsValid(text)
            ? JobId.Parse(text)
            : throw new JsonException($"'{reader.GetString()}' is not a valid job id.");

    public override void Write(Utf8JsonWriter writer, JobId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

/// <summary>A run id on the wire is <c>{jobId}~{sequence}</c>.</summary>
public sealed class RunIdJsonConverter : JsonConverter<RunId>
{
    public override RunId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RunId.TryParse(reader.GetString(), out var runId)
            ? runId
            : throw new JsonException($"'{reader.GetString()}' is not a valid run id ({{jobId}}~{{number}}).");

    public override void Write(Utf8JsonWriter writer, RunId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
