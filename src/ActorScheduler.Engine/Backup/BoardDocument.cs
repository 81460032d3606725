using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Engine.Backup;

/// <summary>
/// A set of job definitions as one document: <c>{ "board": "&lt;name&gt;", "defaults": { … }, "jobs": [JobDefinition, …] }</c>
/// (JSON, or YAML of the same structure). What <c>GET /api/v1/jobs/export</c> writes and
/// <c>POST /api/v1/jobs/import</c> reads, to move jobs between clusters; boards (issue 15) read the same shape.
/// </summary>
/// <param name="Defaults">
/// JobDefinition fields every job gets unless it sets the field itself (a shallow merge: a job's <c>retry</c>
/// replaces the default <c>retry</c> whole). An export writes none: every job is complete.
/// </param>
public sealed record BoardDocument(string? Board, JsonObject? Defaults, IReadOnlyList<JobDefinition> Jobs)
{
    /// <summary>Errors beyond this many are summed up in one: a document of thousands of broken jobs needs the first few fixed first.</summary>
    public const int MaxErrorsReported = 50;

    private static readonly string[] Members = ["board", "defaults", "jobs"];

    /// <summary>
    /// Reads and checks a document: every job with the defaults merged, deserialized and validated, ids unique. The
    /// errors name the field as a path from the document's root (<c>jobs[3].schedule.cron</c>); the document is
    /// null when there is any.
    /// </summary>
    /// <param name="describe">Turns a deserializer's complaint into a field-named error (the field relative to the job).</param>
    public static (BoardDocument? Document, IReadOnlyList<ValidationError> Errors) Read(JsonNode? root, Func<JsonException, ValidationError> describe)
    {
        var errors = new List<ValidationError>();
        if (root is not JsonObject document)
            return (null, [new ValidationError("body", "expected a board document: { \"board\": \"<name>\", \"defaults\": { … }, \"jobs\": [ … ] }.")]);
        foreach (var (name, _) in document)
            if (!Members.Contains(name))
                errors.Add(new ValidationError(name, $"is not a known property; expected one of {string.Join(", ", Members)}."));
        var board = ReadBoard(document["board"], errors);
        var defaults = ReadDefaults(document["defaults"], describe, errors);
        var jobs = new List<JobDefinition>();
        if (document["jobs"] is not JsonArray items)
            errors.Add(new ValidationError("jobs", "is required: a list of job definitions."));
        else
        {
            var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < items.Count; i++)
            {
                if (ReadJob(items[i], defaults, $"jobs[{i}]", describe, errors) is not { } job)
                    continue;
                if (firstIndex.TryAdd(job.Id!, i))
                    jobs.Add(job);
                else
                    errors.Add(new ValidationError($"jobs[{i}].id", $"'{job.Id}' appears twice (first at jobs[{firstIndex[job.Id!]}]); each job once."));
            }
        }
        if (errors.Count > MaxErrorsReported)
            errors = [.. errors.Take(MaxErrorsReported), new ValidationError("jobs", $"… and {errors.Count - MaxErrorsReported} more errors.")];
        return errors.Count > 0 ? (null, errors) : (new BoardDocument(board, defaults, jobs), errors);
    }

    private static string? ReadBoard(JsonNode? node, List<ValidationError> errors)
    {
        if (node is null)
            return null;
        if (node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is var name && JobId.IsValid(name))
            return name;
        errors.Add(new ValidationError("board", $"must be a name: {JobId.Rule}."));
        return null;
    }

    private static JsonObject? ReadDefaults(JsonNode? node, Func<JsonException, ValidationError> describe, List<ValidationError> errors)
    {
        if (node is null)
            return null;
        if (node is not JsonObject defaults)
        {
            errors.Add(new ValidationError("defaults", "expected a JSON object of JobDefinition fields."));
            return null;
        }
        if (defaults.ContainsKey("id"))
            errors.Add(new ValidationError("defaults.id", "would give every job the same id; set id on each job."));
        // Defaults alone must be well-formed fields (a typo in a default would otherwise surface once per job).
        var before = errors.Count;
        _ = Deserialize(defaults, "defaults", describe, errors);
        return errors.Count == before ? defaults : null;
    }

    private static JobDefinition? ReadJob(JsonNode? node, JsonObject? defaults, string at, Func<JsonException, ValidationError> describe, List<ValidationError> errors)
    {
        if (node is not JsonObject job)
        {
            errors.Add(new ValidationError(at, "expected a job definition (a JSON object)."));
            return null;
        }
        var merged = (JsonObject)job.DeepClone();
        if (defaults is not null)
            foreach (var (name, value) in defaults)
                if (!merged.ContainsKey(name))
                    merged[name] = value?.DeepClone();
        if (Deserialize(merged, at, describe, errors) is not { } definition)
            return null;
        var invalid = JobDefinitionValidator.Validate(definition, requireId: true);
        errors.AddRange(invalid.Select(e => new ValidationError(Within(at, e.Field), e.Message)));
        return invalid.Count == 0 ? definition : null;
    }

    private static JobDefinition? Deserialize(JsonObject node, string at, Func<JsonException, ValidationError> describe, List<ValidationError> errors)
    {
        try
        {
            return node.Deserialize<JobDefinition>(CoreJson.Options);
        }
        catch (JsonException e)
        {
            var error = describe(e);
            errors.Add(new ValidationError(Within(at, error.Field), error.Message));
            return null;
        }
    }

    /// <summary><c>schedule.cron</c> of <c>jobs[3]</c> is <c>jobs[3].schedule.cron</c>; the job itself ("body") is <c>jobs[3]</c>.</summary>
    private static string Within(string at, string field) =>
        field is "" or "body" ? at : field.StartsWith('[') ? at + field : $"{at}.{field}";
}
