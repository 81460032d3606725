using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorScheduler.Core.Definitions;

public static class JobDefinitions
{
    /// <summary>
    /// The same definition as the contract writes it: property order, and fields left out versus given with their
    /// default, aside (both are written the same way). What import and board apply take for "unchanged".
    /// </summary>
    public static bool Same(JobDefinition stored, JobDefinition given) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(stored, CoreJson.Options), JsonSerializer.SerializeToNode(given, CoreJson.Options));
}
