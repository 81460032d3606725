using System.Text.Json.Serialization;
using ActorScheduler.Core.Deploys;

namespace ActorScheduler.Engine.Deploys;

/// <summary>A file of a deployment: its repository path, its bytes, and whether it is executable (a script).</summary>
public sealed record DeployFile(string Path, byte[] Content, bool Executable);

/// <summary>A script a deployment stored, and the job that runs it (null when it was refused).</summary>
public sealed record DeployedScriptEntry(string Path, string Sha256, string? Job);

/// <summary>
/// What a deployment did, job by job: <see cref="Created"/> (every job that runs a script is created disabled: see
/// <see cref="CreatedDisabled"/>), <see cref="Updated"/>, <see cref="Unchanged"/>; <see cref="NotInRepository"/> are the
/// board's jobs the deployment no longer has (kept as they are); <see cref="Refused"/> the scripts left out, and why.
/// <see cref="Errors"/> non-empty means nothing was applied.
/// </summary>
public sealed record DeployReport(
    string Board, string Source, bool Applied,
    IReadOnlyList<string> Created, IReadOnlyList<string> CreatedDisabled, IReadOnlyList<string> Updated, IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> NotInRepository, IReadOnlyList<DeployRefusal> Refused, IReadOnlyList<DeployedScriptEntry> Scripts,
    IReadOnlyList<string> Errors)
{
    /// <summary>Nothing was applied because the board file (or a job it defines) is not valid: a usage error, not a refusal.</summary>
    [JsonIgnore]
    public bool InvalidBoardFile { get; init; }

    public static DeployReport Failed(string board, string source, IReadOnlyList<DeployRefusal> refused, IReadOnlyList<DeployedScriptEntry> scripts,
        IEnumerable<string> errors) => new(board, source, false, [], [], [], [], [], refused, scripts, errors.ToList());

    /// <summary>The report as lines for people (what <c>git push</c> shows after <c>remote:</c>).</summary>
    public IEnumerable<string> Lines()
    {
        yield return Applied
            ? $"ActorScheduler deployed {Source} as board '{Board}': {Created.Count} created, {Updated.Count} updated, {Unchanged.Count} unchanged" +
              (Refused.Count > 0 ? $", {Refused.Count} refused" : "")
            : $"ActorScheduler did NOT deploy {Source}: nothing was changed";
        foreach (var error in Errors)
            yield return $"  error: {error}";
        var scriptOf = Scripts.Where(s => s.Job is not null).GroupBy(s => s.Job!).ToDictionary(g => g.Key, g => g.First());
        string Of(string id) => scriptOf.TryGetValue(id, out var s) ? $" ({s.Path} {s.Sha256[..12]})" : "";
        foreach (var id in Created)
            yield return CreatedDisabled.Contains(id)
                ? $"  created {id}{Of(id)} (disabled: enable it with POST /api/v1/jobs/{id}/enable)"
                : $"  created {id}{Of(id)}";
        foreach (var id in Updated)
            yield return $"  updated {id}{Of(id)}";
        foreach (var id in Unchanged)
            yield return $"  unchanged {id}";
        foreach (var id in NotInRepository)
            yield return $"  kept {id}: not in the repository any more (cancel it with DELETE /api/v1/jobs/{id})";
        foreach (var refusal in Refused)
            yield return $"  refused {refusal.What}: {refusal.Reason}";
    }
}
