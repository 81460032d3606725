using System.Text.Json;
using ActorScheduler.Cli.Running;
using YamlDotNet.Core;

namespace ActorScheduler.Cli.Documents;

/// <summary>
/// Reads a file given for a <c>document</c> parameter (a job definition) and answers its content as compact JSON
/// text: the host may run on another machine and never sees the path. JSON or YAML, chosen by the extension
/// (.json, .yaml, .yml) or else by the first character. Every failure is a <see cref="UsageException"/> that
/// names the file and, for content, the line.
/// </summary>
internal static class DocumentReader
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static string ReadAsJson(string path)
    {
        var text = ReadText(path);
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException($"The file '{path}' is empty; it should hold a JSON or YAML document.");
        return IsJson(path, text) ? CompactJson(path, text) : YamlReading(path, text);
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot read the file '{path}': {e.Message}");
        }
    }

    private static bool IsJson(string path, string text) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => true,
        ".yaml" or ".yml" => false,
        _ => text.TrimStart() is ['{' or '[', ..],
    };

    private static string CompactJson(string path, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Lenient);
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? $" line {zeroBased + 1}" : "";
            throw new UsageException($"{path}{line}: not valid JSON ({FirstSentence(e.Message)}).");
        }
    }

    private static string YamlReading(string path, string text)
    {
        try
        {
            return YamlToJson.Convert(text);
        }
        catch (YamlException e)
        {
            throw new UsageException($"{path} line {e.Start.Line}: {YamlToJson.Describe(e)}");
        }
    }

    /// <summary>System.Text.Json appends the position it already gives in properties; keep only the reason.</summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.', ' ');
    }
}
