using System.Text.Json;
using System.Text.RegularExpressions;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Gateway.Http;

/// <summary>
/// Turns System.Text.Json's exceptions into field-named messages a user can act on: the JSON path becomes the
/// field, and .NET type names become what the contract expects ("an integer", "one of skip, allow, …").
/// </summary>
internal static partial class JsonInputErrors
{
    public static ValidationError Describe(JsonException error)
    {
        var field = FieldOf(error.Path);
        if (error.InnerException?.GetType().Name == "JsonReaderException")
            return new ValidationError("body", $"is not valid JSON: {StripPosition(error.Message)} (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}).");
        if (UnmappedProperty().Match(error.Message) is { Success: true } unmapped)
            return new ValidationError(field, $"is not a known property{KnownProperties(unmapped.Groups["type"].Value)}.");
        if (NotConvertible().Match(error.Message) is { Success: true } conversion)
            return new ValidationError(field.Length == 0 ? "body" : field, $"expected {Expected(conversion.Groups["type"].Value)}.");
        return new ValidationError(field.Length == 0 ? "body" : field, StripPosition(error.Message));
    }

    /// <summary><c>$.triggers[0].on</c> → <c>triggers[0].on</c>; the root is the body itself.</summary>
    private static string FieldOf(string? path) =>
        path is null or "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0) at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).TrimEnd();
    }

    private static string KnownProperties(string typeName)
    {
        if (FindType(typeName) is not { } type)
            return "";
        // Only what a body can set: computed members (EffectiveRetry and the like) are not input.
        var names = CoreJson.Options.GetTypeInfo(type).Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null).Select(p => p.Name);
        return $"; expected one of {string.Join(", ", names)}";
    }

    private static string Expected(string typeName)
    {
        var name = NullableOf().Match(typeName) is { Success: true } inner ? inner.Groups["type"].Value : typeName;
        if (FindType(name) is { IsEnum: true } enumType)
            return "one of " + string.Join(", ", Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName));
        return name switch
        {
            "System.Int32" or "System.Int64" => "an integer",
            "System.Double" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.DateTimeOffset" => "an ISO 8601 time such as \"2026-12-01T00:00:00Z\"",
            "System.TimeSpan" => "an ISO 8601 duration such as \"PT30S\"",
            _ when name.EndsWith("[]", StringComparison.Ordinal) || name.Contains("List`1") || name.Contains("Enumerable`1") => "an array",
            _ => "a JSON object",
        };
    }

    // Enums and records of the contract live in Core; the request bodies in this assembly.
    private static Type? FindType(string name) =>
        typeof(JobDefinition).Assembly.GetType(name) ?? typeof(JsonInputErrors).Assembly.GetType(name);

    [GeneratedRegex(@"^The JSON property '.*' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<type>.+)\]$")]
    private static partial Regex NullableOf();
}
