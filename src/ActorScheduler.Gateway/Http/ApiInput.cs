using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine;
using Microsoft.AspNetCore.Http;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Reads bodies, path ids and query parameters in the contract's one JSON dialect (CoreJson), throwing
/// <see cref="BadInputException"/> with the field named. Minimal API binding is not used for bodies: its own
/// 400s name no field and its JSON options are not CoreJson's. A body's strings pass <see cref="BodyText"/> first.
/// </summary>
internal static class ApiInput
{
    public const int MaxLimit = JobService.MaxPageSize;

    /// <summary>The body as <typeparamref name="T"/>; an empty body (or JSON null) is null unless required.</summary>
    public static async Task<T?> Body<T>(HttpRequest request, bool required) where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        T? value = null;
        if (!bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            if (BodyText.Problem(bytes.Span) is { } problem)
                throw new BadInputException([problem]);
            try
            {
                value = JsonSerializer.Deserialize<T>(bytes.Span, CoreJson.Options);
            }
            catch (JsonException error)
            {
                throw new BadInputException([JsonInputErrors.Describe(error)]);
            }
        }
        if (value is null && required)
            throw new BadInputException("body", $"is required: send a JSON object ({typeof(T).Name}).");
        return value;
    }

    public static JobId JobId(string text, string field = "id") =>
        Core.JobId.IsValid(text)
            ? Core.JobId.Parse(text)
            : throw new BadInputException(field, $"'{text}' is not a valid job id: use {Core.JobId.Rule}.");

    public static RunId RunId(string text) =>
        Core.RunId.TryParse(text, out var runId)
            ? runId
            : throw new BadInputException("runId", $"'{text}' is not a valid run id: expected {{jobId}}~{{number}}, e.g. nightly-billing~3.");

    /// <summary>An enum query value by its camelCase wire name (case-insensitive); null when absent.</summary>
    public static TEnum? Enum<TEnum>(string? text, string field) where TEnum : struct, Enum
    {
        if (Absent(text))
            return null;
        foreach (var value in System.Enum.GetValues<TEnum>())
            if (string.Equals(WireName(value), text, StringComparison.OrdinalIgnoreCase))
                return value;
        var names = string.Join(", ", System.Enum.GetValues<TEnum>().Select(WireName));
        throw new BadInputException(field, $"'{text}' is not one of {names}.");
    }

    public static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => CoreJson.WireName(value);

    public static int Limit(string? text, int fallback, int max = MaxLimit)
    {
        if (Absent(text))
            return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) ||
            limit < 1 || limit > max)
            throw new BadInputException("limit", $"'{text}' must be a whole number from 1 to {max}.");
        return limit;
    }

    /// <summary>A time in a query string, read exactly as a time in a body is (ISO 8601, with offset or UTC).</summary>
    public static DateTimeOffset? Time(string? text, string field)
    {
        if (Absent(text))
            return null;
        try
        {
            return JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(text), CoreJson.Options);
        }
        catch (JsonException error)
        {
            throw new BadInputException(field, error.Message);
        }
    }

    /// <summary>A time as the API writes it (UTC, ISO 8601), for messages.</summary>
    public static string Format(DateTimeOffset time) => JsonSerializer.Serialize(time, CoreJson.Options).Trim('"');

    /// <summary>A free-text filter: absent is no filter, present must not be blank.</summary>
    public static string? Text(string? text, string field) =>
        Absent(text) ? null
        : string.IsNullOrWhiteSpace(text) ? throw new BadInputException(field, "must not be blank; leave it out to match everything.")
        : text;

    // "?status=&limit=" as the contract writes its templates: an empty parameter is an absent one.
    private static bool Absent([NotNullWhen(false)] string? text) => string.IsNullOrEmpty(text);
}
