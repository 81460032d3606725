using System.Text.Json;

namespace ActorScheduler.Core.Definitions;

/// <summary>
/// What a replacement changed, for the audit trail: the JSON paths (as the contract spells them) whose values differ,
/// down to the leaves of objects; an array that differs is named as a whole (<c>run.shell.command</c>). Pure.
/// </summary>
public static class DefinitionChanges
{
    /// <summary>The most paths listed; beyond it the last entry says how many more changed.</summary>
    public const int MaxPaths = 32;

    public static IReadOnlyList<string> Between(JobDefinition before, JobDefinition after)
    {
        var paths = new List<string>();
        Compare(JsonSerializer.SerializeToElement(before, CoreJson.Options), JsonSerializer.SerializeToElement(after, CoreJson.Options), "", paths);
        if (paths.Count <= MaxPaths)
            return paths;
        return [.. paths.Take(MaxPaths - 1), $"… and {paths.Count - MaxPaths + 1} more"];
    }

    private static void Compare(JsonElement? a, JsonElement? b, string path, List<string> paths)
    {
        if (a is { ValueKind: JsonValueKind.Object } x && b is { ValueKind: JsonValueKind.Object } y)
        {
            var names = x.EnumerateObject().Select(p => p.Name).Union(y.EnumerateObject().Select(p => p.Name));
            foreach (var name in names)
                Compare(x.TryGetProperty(name, out var left) ? left : null, y.TryGetProperty(name, out var right) ? right : null,
                    path.Length == 0 ? name : $"{path}.{name}", paths);
            return;
        }
        if (!Same(a, b))
            paths.Add(path);
    }

    private static bool Same(JsonElement? a, JsonElement? b) =>
        (a, b) switch
        {
            (null, null) => true,
            ({ } x, { } y) => JsonElement.DeepEquals(x, y),
            _ => false,
        };
}
