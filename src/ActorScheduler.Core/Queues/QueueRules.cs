using System.Text.Json;
using System.Text.RegularExpressions;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Queues;

/// <summary>
/// What a work queue accepts, checked the same way by the HTTP API and the embedded client's service: each check
/// answers the problem (naming the field) or null.
/// </summary>
public static partial class QueueRules
{
    /// <summary>The status of an item created without one.</summary>
    public const string DefaultStatus = "pending";

    /// <summary>An item's data as compact JSON, at most this many UTF-8 bytes (64 KiB).</summary>
    public const int MaxDataBytes = 64 * 1024;

    public const string NameRule = "1 to 64 characters from a-z, 0-9, '-' and '_', starting with a letter or digit";

    public const string StatusRule = "1 to 40 characters from a-z, 0-9, '-' and '_', starting with a letter or digit";

    public const string ItemIdRule = "1 to 64 characters from A-Z, a-z, 0-9, '-' and '_'";

    public static ValidationError? Queue(string? name, string field = "queue") =>
        name is not null && NamePattern().IsMatch(name) ? null : new ValidationError(field, $"'{name}' is not a queue name: use {NameRule}.");

    /// <summary>Statuses are free text (a queue's users agree on them; "pending" is the default), in the shape of a queue name.</summary>
    public static ValidationError? Status(string? status, string field = "status") =>
        status is not null && StatusPattern().IsMatch(status) ? null : new ValidationError(field, $"'{status}' is not a status: use {StatusRule}.");

    public static ValidationError? ItemId(string? id, string field = "itemId") =>
        id is not null && ItemIdPattern().IsMatch(id) ? null : new ValidationError(field, $"'{id}' is not an item id: use {ItemIdRule}.");

    /// <summary>Data must be a JSON object (its top-level fields are the dashboard's columns).</summary>
    public static ValidationError? DataShape(JsonElement data, string field = "data") =>
        data.ValueKind == JsonValueKind.Object ? null : new ValidationError(field, $"must be a JSON object, not {data.ValueKind.ToString().ToLowerInvariant()}.");

    /// <summary>The data as stored: compact JSON text.</summary>
    public static string Compact(JsonElement data) => JsonSerializer.Serialize(data);

    /// <summary>Whether compact data is over <see cref="MaxDataBytes"/> (a 413 over HTTP).</summary>
    public static ValidationError? DataSize(string compact, string field = "data") =>
        System.Text.Encoding.UTF8.GetByteCount(compact) is var bytes && bytes <= MaxDataBytes ? null
            : new ValidationError(field, $"is {bytes} bytes of JSON; an item's data holds at most {MaxDataBytes} bytes (64 KiB).");

    // \z, not $: '$' also matches before a final newline.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,63}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,39}\z")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex ItemIdPattern();
}
