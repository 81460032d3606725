using System.Text.Json.Nodes;
using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Deploys;

/// <summary>
/// A deployment turned into one board document: the board file's jobs (those that run a script of the deployment
/// pinned to its hash) and a job for every other script. <see cref="ScriptOfJob"/> names the script each script job
/// runs; <see cref="Errors"/> are the board file's own mistakes (then nothing may be applied); <see cref="Refused"/>
/// are scripts left out.
/// </summary>
public sealed record ScriptDeployPlan(
    string Board, JsonObject Document, IReadOnlyDictionary<string, string> ScriptOfJob,
    IReadOnlyList<DeployRefusal> Refused, IReadOnlyList<ValidationError> Errors);

/// <summary>
/// The pure part of deploying scripts: which job each script becomes and how the board file refers to scripts.
/// <list type="bullet">
/// <item>A board job runs a script of the deployment when its <c>run</c> is <c>{ script: { path } }</c>, or
/// <c>{ shell: { command: [./extract.sh, args…] } }</c> naming a script's path, or absent while its id is a script's
/// job id; its run becomes <c>{ script: { path, sha256, args, env, workingDirectory, stdin } }</c>.</item>
/// <item>Every other script becomes job <see cref="ScriptJobs.IdOf"/> with <c>run.script</c>, scheduled by its header
/// if it has one (<see cref="ScriptJobs.Header"/>), else run on demand.</item>
/// <item>A job that runs a script is created disabled and keeps whatever enabled state it has afterwards
/// (<see cref="Settle"/>): a push never starts or stops a job by itself.</item>
/// </list>
/// </summary>
public static class ScriptDeployPlanner
{
    public static ScriptDeployPlan Plan(JsonObject? boardFile, IReadOnlyList<DeployedScript> scripts, long maxScriptBytes)
    {
        var document = boardFile?.DeepClone().AsObject() ?? new JsonObject();
        var board = document["board"] is JsonValue named && named.TryGetValue<string>(out var name) ? name : ScriptJobs.DefaultBoard;
        document["board"] ??= board;
        var refused = scripts.Where(s => s.Size > maxScriptBytes)
            .Select(s => new DeployRefusal(s.Path, $"{s.Size} bytes is more than the {maxScriptBytes} a script may have.")).ToList();
        var usable = scripts.Where(s => s.Size <= maxScriptBytes).ToDictionary(s => s.Path, StringComparer.Ordinal);
        var errors = new List<ValidationError>();
        if (document["jobs"] is null)
            document["jobs"] = new JsonArray();
        if (document["jobs"] is not JsonArray jobs)
            return new ScriptDeployPlan(board, document, new Dictionary<string, string>(), refused, errors);

        var scriptOfJob = new Dictionary<string, string>(StringComparer.Ordinal);
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var boardIds = new HashSet<string>(StringComparer.Ordinal);
        var byId = ById(usable.Values);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i] is not JsonObject job)
                continue;
            var id = job["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var text) ? text : null;
            if (id is not null)
                boardIds.Add(id);
            var (path, run) = ScriptRunOf(job, id, byId, usable, scripts, $"jobs[{i}]", errors);
            if (path is null)
                continue;
            job["run"] = new JsonObject { ["script"] = run };
            claimed.Add(path);
            if (id is not null)
                scriptOfJob[id] = path;
        }
        foreach (var (script, id) in OwnJobs(usable.Values.Where(s => !claimed.Contains(s.Path)), boardIds, refused))
        {
            jobs.Add(OwnJob(script, id));
            scriptOfJob[id] = script.Path;
        }
        return new ScriptDeployPlan(board, document, scriptOfJob, refused, errors);
    }

    /// <summary>
    /// Sets <c>enabled</c> of every script job: as the job has it now (<paramref name="enabledNow"/>), or false for a
    /// job that does not exist yet. Answers the jobs that will be created disabled.
    /// </summary>
    public static IReadOnlyList<string> Settle(ScriptDeployPlan plan, IReadOnlyDictionary<string, bool> enabledNow)
    {
        var created = new List<string>();
        foreach (var job in (plan.Document["jobs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (job["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || !plan.ScriptOfJob.ContainsKey(id))
                continue;
            var exists = enabledNow.TryGetValue(id, out var enabled);
            job["enabled"] = exists && enabled;
            if (!exists)
                created.Add(id);
        }
        return created;
    }

    /// <summary>Which script a board job runs, and its pinned <c>run.script</c>; (null, null) when it runs none.</summary>
    private static (string? Path, JsonObject? Run) ScriptRunOf(JsonObject job, string? id, IReadOnlyDictionary<string, DeployedScript> byId,
        IReadOnlyDictionary<string, DeployedScript> usable, IReadOnlyList<DeployedScript> all, string field, List<ValidationError> errors)
    {
        var run = job["run"] as JsonObject;
        if (run?["script"] is JsonObject script)
        {
            var path = Text(script["path"]);
            if (path is not null && usable.TryGetValue(path, out var found))
                return (path, Pinned(script, found));
            errors.Add(new ValidationError($"{field}.run.script.path", Missing(path, all)));
            return (null, null);
        }
        if (run?["shell"] is JsonObject shell && shell["command"] is JsonArray { Count: > 0 } command && Text(command[0]) is { } program)
        {
            var path = program.StartsWith("./", StringComparison.Ordinal) ? program[2..] : program;
            if (!usable.TryGetValue(path, out var found))
                return all.Any(s => s.Path == path) ? Refuse(field, path, all, errors) : (null, null);
            var pinned = new JsonObject { ["path"] = path, ["args"] = new JsonArray(command.Skip(1).Select(a => a?.DeepClone()).ToArray()) };
            foreach (var key in new[] { "env", "workingDirectory", "stdin" })
                if (shell[key] is { } value)
                    pinned[key] = value.DeepClone();
            return (path, Pinned(pinned, found));
        }
        return run is null && id is not null && byId.TryGetValue(id, out var own) ? (own.Path, Pinned(new JsonObject { ["path"] = own.Path }, own)) : (null, null);
    }

    private static (string?, JsonObject?) Refuse(string field, string path, IReadOnlyList<DeployedScript> all, List<ValidationError> errors)
    {
        errors.Add(new ValidationError($"{field}.run", Missing(path, all)));
        return (null, null);
    }

    private static string Missing(string? path, IReadOnlyList<DeployedScript> all) => all.Any(s => s.Path == path)
        ? $"runs script '{path}', which is too large to deploy."
        : $"'{path}' is not an executable file of this deployment.";

    private static JsonObject Pinned(JsonObject script, DeployedScript found)
    {
        var pinned = (JsonObject)script.DeepClone();
        pinned["path"] = found.Path;
        pinned["sha256"] = found.Sha256;
        return pinned;
    }

    /// <summary>The scripts that define a job of their own, by id; a name two scripts share, or a board job's id, is refused.</summary>
    private static IEnumerable<(DeployedScript Script, string Id)> OwnJobs(IEnumerable<DeployedScript> scripts, IReadOnlySet<string> boardIds, List<DeployRefusal> refused)
    {
        var named = new List<(DeployedScript Script, string Id)>();
        foreach (var script in scripts.OrderBy(s => s.Path, StringComparer.Ordinal))
        {
            var (id, problem) = ScriptJobs.IdOf(script.Path);
            if (id is null)
                refused.Add(new DeployRefusal(script.Path, problem!));
            else if (boardIds.Contains(id))
                refused.Add(new DeployRefusal(script.Path, $"the board file defines job '{id}' with another run; rename the script or run it from that job."));
            else
                named.Add((script, id));
        }
        foreach (var group in named.GroupBy(n => n.Id, StringComparer.Ordinal))
        {
            if (group.Count() == 1)
            {
                yield return group.Single();
                continue;
            }
            var paths = string.Join(", ", group.Select(g => $"'{g.Script.Path}'"));
            refused.AddRange(group.Select(g => new DeployRefusal(g.Script.Path, $"{paths} would all be job '{g.Id}'; rename all but one.")));
        }
    }

    private static JsonObject OwnJob(DeployedScript script, string id)
    {
        var job = new JsonObject { ["id"] = id, ["run"] = new JsonObject { ["script"] = Pinned(new JsonObject { ["path"] = script.Path }, script) } };
        if (script.Schedule is { } cron)
            job["schedule"] = script.TimeZone is { } zone ? new JsonObject { ["cron"] = cron, ["timeZone"] = zone } : new JsonObject { ["cron"] = cron };
        return job;
    }

    private static Dictionary<string, DeployedScript> ById(IEnumerable<DeployedScript> scripts) =>
        scripts.Select(s => (Script: s, ScriptJobs.IdOf(s.Path).Id)).Where(s => s.Id is not null).GroupBy(s => s.Id!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().Script, StringComparer.Ordinal);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
