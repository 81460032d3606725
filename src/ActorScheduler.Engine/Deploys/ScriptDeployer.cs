using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Deploys;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Boards;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;

namespace ActorScheduler.Engine.Deploys;

/// <summary>
/// Deploys a set of files (a pushed commit, or a directory uploaded without git): stores every script's bytes under its
/// hash (<see cref="DeployedScriptTables"/>), turns scripts and the board file into one board document
/// (<see cref="ScriptDeployPlanner"/>) and applies it like <c>POST /api/v1/boards/{name}/apply</c> (<see cref="BoardService"/>),
/// without prune: a script removed from the repository leaves its job as it is, and the report says so. One deployment at
/// a time per gateway; a second waits for the first.
/// </summary>
public sealed class ScriptDeployer(JobService jobs, DeployedScriptTables tables, DeploySettings settings, TimeProvider clock)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public DeploySettings Settings => settings;

    /// <summary>Deploys <paramref name="files"/> with their board file (<see cref="DeployInputs.BoardFile"/>), if they have one.</summary>
    /// <param name="source">What is deployed, for the report (<c>commit 1a2b3c4</c>, <c>an upload of 3 files</c>).</param>
    public async Task<DeployReport> DeployFiles(IReadOnlyList<DeployFile> files, string source, CancellationToken cancel)
    {
        var (boardFile, board, problem) = DeployInputs.BoardFile(files);
        if (problem is not null)
            return DeployReport.Failed(ScriptJobs.DefaultBoard, source, [], [], [$"{boardFile!.Path}: {problem}"]) with { InvalidBoardFile = true };
        return await Deploy(files, board, boardFile?.Path, source, cancel);
    }

    /// <param name="boardFile">The board file's content as JSON (YAML already converted), or null when there is none.</param>
    /// <param name="boardFileName">Its name, for errors (<c>board.yaml: jobs[1].schedule.cron …</c>).</param>
    /// <param name="source">What is deployed, for the report (<c>commit 1a2b3c4</c>, <c>upload</c>).</param>
    public async Task<DeployReport> Deploy(IReadOnlyList<DeployFile> files, JsonObject? boardFile, string? boardFileName, string source, CancellationToken cancel)
    {
        await _one.WaitAsync(cancel);
        try
        {
            return await DeployOne(files, boardFile, boardFileName ?? "board file", source, cancel);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<DeployReport> DeployOne(IReadOnlyList<DeployFile> files, JsonObject? boardFile, string boardFileName, string source, CancellationToken cancel)
    {
        var executables = files.Where(f => f.Executable && ScriptJobs.IsDeployable(f.Path)).ToList();
        var boardName = boardFile?["board"] is JsonValue named && named.TryGetValue<string>(out var name) ? name : ScriptJobs.DefaultBoard;
        if (executables.Count > settings.MaxScripts)
            return DeployReport.Failed(boardName, source, [], [],
                [$"{executables.Count} executable files is more than the {settings.MaxScripts} one deployment may have ({DeploySettings.Path}.max-scripts)."]);
        var badPaths = executables.Where(f => ScriptRunRules.PathProblem(f.Path) is not null)
            .Select(f => new DeployRefusal(f.Path, ScriptRunRules.PathProblem(f.Path)!)).ToList();
        var content = executables.Where(f => ScriptRunRules.PathProblem(f.Path) is null).ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        var scripts = content.Select(f => Describe(f.Key, f.Value)).ToList();

        var plan = ScriptDeployPlanner.Plan(boardFile, scripts, settings.MaxScriptBytes);
        var refused = badPaths.Concat(plan.Refused).ToList();
        var entries = scripts.Select(s => new DeployedScriptEntry(s.Path, s.Sha256, plan.ScriptOfJob.FirstOrDefault(j => j.Value == s.Path).Key)).ToList();
        if (plan.Errors.Count > 0)
            return DeployReport.Failed(plan.Board, source, refused, entries, plan.Errors.Select(e => $"{boardFileName}: {e}")) with { InvalidBoardFile = true };

        var used = plan.ScriptOfJob.Values.ToHashSet(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        await Task.Run(() =>
        {
            foreach (var script in scripts.Where(s => used.Contains(s.Path)))
                tables.Store(script.Sha256, script.Path, content[script.Path], now);
        }, cancel);
        var disabled = ScriptDeployPlanner.Settle(plan, await EnabledNow(plan.ScriptOfJob.Keys, cancel));
        var outcome = await new BoardService(jobs).Run(null, plan.Document, Describe, prune: false, apply: true, cancel);
        return outcome switch
        {
            BoardChanged { Changes: var changes } => new DeployReport(plan.Board, source, true, changes.Create, changes.Create.Intersect(disabled).ToList(),
                changes.Update, changes.Unchanged, changes.NotInFile, refused, entries, []),
            BoardInvalid invalid => DeployReport.Failed(plan.Board, source, refused, entries, invalid.Errors.Select(e => $"{boardFileName} (with the scripts' jobs): {e}"))
                with { InvalidBoardFile = true },
            BoardConflicted conflicted => DeployReport.Failed(plan.Board, source, refused, entries, [conflicted.Describe()]),
            BoardStopped stopped => new DeployReport(plan.Board, source, true, stopped.Applied.Create, stopped.Applied.Create.Intersect(disabled).ToList(),
                stopped.Applied.Update, stopped.Applied.Unchanged, [], refused, entries, [$"{stopped.Message} The deployment stopped there; push again to finish it."]),
            _ => throw new InvalidOperationException($"Unexpected board outcome {outcome.GetType().Name}."),
        };
    }

    /// <summary>A script's hash and, from its first lines, the schedule its header asks for.</summary>
    private static DeployedScript Describe(string path, byte[] content)
    {
        var head = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 4096));
        var (schedule, timeZone) = ScriptJobs.Header(head);
        return new DeployedScript(path, ScriptHash.Of(content), content.LongLength, schedule, timeZone);
    }

    /// <summary>Whether each job exists now (canceled ones count as new) and, if so, whether it is enabled.</summary>
    private async Task<IReadOnlyDictionary<string, bool>> EnabledNow(IEnumerable<string> ids, CancellationToken cancel)
    {
        var found = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids.Where(JobId.IsValid), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancel }, async (id, token) =>
        {
            if (await jobs.Get(JobId.Parse(id), token) is JobFound { View: { Status: not JobStatus.Canceled } view })
                found[id] = view.Enabled;
        });
        return found;
    }

    private static ValidationError Describe(JsonException error)
    {
        var field = error.Path is null or "$" ? "body" : error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path.TrimStart('$');
        var message = error.Message.IndexOf(" Path:", StringComparison.Ordinal) is var at and > 0 ? error.Message[..at] : error.Message;
        return new ValidationError(field, message);
    }
}
