using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// The one JSON dialect of the contract: camelCase names and enum values, ISO 8601 durations and UTC times,
/// nulls left out when writing, and unknown properties refused (a typo must not silently become a default).
/// </summary>
public static class CoreJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// <paramref name="strict"/> refuses unknown properties (input from users); the journal reads tolerantly
    /// so that data written by a newer version with an added optional field still loads.
    /// </summary>
    public static JsonSerializerOptions Create(bool strict = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,
            PropertyNameCaseInsensitive = false,
            // A number sent as a string is a client bug to report, not to guess about.
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new IsoDurationJsonConverter());
        options.Converters.Add(new UtcInstantJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>An enum value as the contract spells it (<c>RunStatus.Succeeded</c> → <c>succeeded</c>).</summary>
    public static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Expected a JSON object, got null.");
}
