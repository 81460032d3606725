using System.Text.Json;
using ActorScheduler.CommandHost;
using ActorScheduler.Commands;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Engine.Deploys;

namespace ActorScheduler.Engine.CommandPalettes;

/// <summary>
/// <c>schedctl deploy &lt;directory&gt;</c>: a directory of scripts deployed without git, as a push or
/// <c>POST /api/v1/scripts/deploy</c> with files does it, through the node's one <see cref="ScriptDeployer"/>. schedctl
/// reads the directory on its own machine and sends the files (<see cref="ParameterTypes.Directory"/>); the node never
/// reads the client's disk. A palette of one command named as itself, so schedctl runs it as <c>schedctl deploy DIR</c>.
/// </summary>
public static class DeployPalette
{
    public const string Name = "deploy";

    private static readonly ParameterSpec DirectoryArgument = Param.Argument("directory",
        "A directory of scripts on schedctl's machine: every executable file becomes or updates a job, board.yaml at its root is applied",
        ParameterTypes.Directory);

    /// <param name="deployer">The node's deployer, or null when it cannot deploy.</param>
    /// <param name="unavailable">Why it cannot (no database, deployments off), when <paramref name="deployer"/> is null.</param>
    public static Palette Create(ScriptDeployer? deployer, string unavailable) =>
        new Palette(Name, "Deploy a directory of scripts without git, as a git push does")
            .Command(Name, "Deploy a directory of scripts: each executable file becomes (disabled) or updates a job, a board file at the root is applied",
                c => Deploy(c, deployer ?? throw new CommandFailedException(unavailable)), DirectoryArgument);

    /// <summary>One line of the report: a job and what happened to it, or a refused file (<see cref="Job"/> is then its path).</summary>
    private sealed record DeployLine(string Change, string Job, string? Script, string? Revision, string? Sha256, string? Note);

    private static async Task Deploy(CommandContext context, ScriptDeployer deployer)
    {
        var files = Files(context.Required("directory"));
        var report = await deployer.DeployFiles(files, $"a directory of {files.Count} files", context.Cancel);
        if (!report.Applied)
        {
            var why = $"Nothing was deployed:\n  {string.Join("\n  ", report.Errors)}";
            throw report.InvalidBoardFile ? new CommandUsageException(why) : new CommandFailedException(why);
        }
        await context.Table(Lines(report), ["change", "job", "script", "revision", "note"], report.Lines().First());
        if (report.Refused.Count > 0 || report.Errors.Count > 0)
            throw new CommandFailedException(string.Join("\n", report.Errors.Concat(report.Refused.Select(r => $"refused {r.What}: {r.Reason}"))));
    }

    /// <summary>The files schedctl sent: <c>[ { "path", "content" (base64), "executable" } ]</c>.</summary>
    private static IReadOnlyList<DeployFile> Files(string sent)
    {
        List<DeployUpload?>? uploads;
        try
        {
            uploads = JsonSerializer.Deserialize<List<DeployUpload?>>(sent, CoreJson.Options);
        }
        catch (JsonException e)
        {
            throw new CommandUsageException($"<directory> must reach the node as the directory's files, which schedctl sends (an older schedctl sends the path): {e.Message}");
        }
        var (files, problem) = DeployInputs.Decode(uploads ?? []);
        return problem is null ? files! : throw new CommandUsageException($"{problem.Field}: {problem.Message}");
    }

    private static List<DeployLine> Lines(DeployReport report)
    {
        var scriptOf = report.Scripts.Where(s => s.Job is not null).GroupBy(s => s.Job!).ToDictionary(g => g.Key, g => g.First());
        DeployLine Line(string change, string id, string? note = null) => scriptOf.TryGetValue(id, out var script)
            ? new DeployLine(change, id, script.Path, script.Sha256[..12], script.Sha256, note)
            : new DeployLine(change, id, null, null, null, note);
        return
        [
            .. report.Created.Select(id => Line("created", id,
                report.CreatedDisabled.Contains(id) ? $"disabled: enable it with POST /api/v1/jobs/{id}/enable" : null)),
            .. report.Updated.Select(id => Line("updated", id)),
            .. report.Unchanged.Select(id => Line("unchanged", id)),
            .. report.NotInRepository.Select(id => Line("kept", id, $"not in the directory; cancel it with schedctl jobs cancel {id}")),
            .. report.Refused.Select(r => new DeployLine("refused", r.What, null, null, null, r.Reason)),
        ];
    }
}
