using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Cli.Documents;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Deploys;
using YamlDotNet.Core;

namespace ActorScheduler.Engine.Deploys;

/// <summary>
/// An uploaded file as <c>POST /api/v1/scripts/deploy</c> and <c>schedctl deploy</c> send it: its path in the directory,
/// its bytes in base64, and whether it is executable (a script).
/// </summary>
public sealed record DeployUpload(string? Path, string? Content, bool Executable);

/// <summary>
/// What every way of deploying shares before <see cref="ScriptDeployer"/> runs: uploads decoded into files, and the
/// board file found among them and read as a board document (YAML converted to JSON).
/// </summary>
public static class DeployInputs
{
    /// <returns>The files, or the first upload that is not one, named by its index (<c>files[3].path</c>).</returns>
    public static (IReadOnlyList<DeployFile>? Files, ValidationError? Problem) Decode(IReadOnlyList<DeployUpload?> uploads)
    {
        var files = new List<DeployFile>(uploads.Count);
        for (var i = 0; i < uploads.Count; i++)
        {
            var upload = uploads[i];
            if (upload?.Path is not { } path || ScriptRunRules.PathProblem(path) is not null)
                return (null, new ValidationError($"files[{i}].path", ScriptRunRules.PathProblem(upload?.Path)!));
            try
            {
                files.Add(new DeployFile(path, Convert.FromBase64String(upload.Content ?? ""), upload.Executable));
            }
            catch (FormatException)
            {
                return (null, new ValidationError($"files[{i}].content", "must be the file's bytes in base64."));
            }
        }
        return (files, null);
    }

    /// <summary>
    /// The board file at the root (the first of <see cref="ScriptJobs.BoardFiles"/> present), read as a board document.
    /// </summary>
    /// <returns>No file (all null); the file and its document; or the file and why it cannot be read (<c>line 3: …</c>).</returns>
    public static (DeployFile? File, JsonObject? Board, string? Problem) BoardFile(IReadOnlyList<DeployFile> files)
    {
        var file = ScriptJobs.BoardFiles.Select(name => files.FirstOrDefault(f => f.Path == name)).FirstOrDefault(f => f is not null);
        if (file is null)
            return (null, null, null);
        try
        {
            var text = Encoding.UTF8.GetString(file.Content);
            var json = file.Path.EndsWith(".json", StringComparison.Ordinal) ? text : YamlToJson.Convert(text);
            return JsonNode.Parse(json) is JsonObject board ? (file, board, null) : (file, null, "expected a board document { board, defaults, jobs }.");
        }
        catch (YamlException e)
        {
            return (file, null, $"line {e.Start.Line}: {YamlToJson.Describe(e)}");
        }
        catch (JsonException e)
        {
            return (file, null, e.Message);
        }
    }
}
