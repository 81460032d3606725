using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Core.Deploys;

/// <summary>An executable file of a deployment: a script, known by its repository path and the hash of its bytes.</summary>
/// <param name="Schedule">The cron of its <c># schedule:</c> header line, if it has one (<see cref="ScriptJobs.Header"/>).</param>
/// <param name="TimeZone">The IANA zone of its <c># time-zone:</c> header line, if it has one.</param>
public sealed record DeployedScript(string Path, string Sha256, long Size, string? Schedule = null, string? TimeZone = null);

/// <summary>A script (by its path) or a board file entry that a deployment did not apply, and why.</summary>
public sealed record DeployRefusal(string What, string Reason)
{
    public override string ToString() => $"{What}: {Reason}";
}

/// <summary>How a deployment names jobs after scripts, and what a script's header may say about its job.</summary>
public static class ScriptJobs
{
    /// <summary>The board a deployment's jobs belong to when its board file names none (or it has none).</summary>
    public const string DefaultBoard = "scripts";

    /// <summary>Header lines read at most, from the top of a script, for <c># schedule:</c> and <c># time-zone:</c>.</summary>
    public const int HeaderLines = 30;

    /// <summary>Names a board file may have, at the repository's root; the first present is applied.</summary>
    public static readonly IReadOnlyList<string> BoardFiles = ["board.yaml", "board.yml", "board.json"];

    /// <summary>
    /// The job a script defines: its file name without the last extension (<c>jobs/extract.sh</c> → <c>extract</c>), or
    /// why it cannot define one (the name is not a job id).
    /// </summary>
    public static (string? Id, string? Problem) IdOf(string path)
    {
        var name = ScriptRunRules.FileName(path);
        var dot = name.LastIndexOf('.');
        var id = dot > 0 ? name[..dot] : name;
        return JobId.IsValid(id)
            ? (id, null)
            : (null, $"its name makes job id '{id}', which must be {JobId.Rule}; rename the file.");
    }

    /// <summary>
    /// Whether a file of the repository is deployed at all: files under a directory or with a name starting with '.'
    /// (<c>.github/</c>, <c>.gitignore</c>) are not.
    /// </summary>
    public static bool IsDeployable(string path) => !path.Split('/').Any(part => part.StartsWith('.'));

    /// <summary>
    /// The schedule a script's header asks for: lines <c># schedule: 0 0 2 * * *</c> (a cron, 5 or 6 fields) and
    /// <c># time-zone: Europe/Amsterdam</c> among its first comment lines (the shebang and blank lines included; the
    /// first other line ends the header). Only for a job the script creates on its own: a board file's job has its
    /// schedule in the board file.
    /// </summary>
    public static (string? Schedule, string? TimeZone) Header(string text)
    {
        string? schedule = null, timeZone = null;
        foreach (var raw in text.Split('\n').Take(HeaderLines))
        {
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            if (!line.StartsWith('#'))
                break;
            var body = line.TrimStart('#').Trim();
            if (Value(body, "schedule:") is { } cron)
                schedule = cron;
            else if (Value(body, "time-zone:") is { } zone)
                timeZone = zone;
        }
        return (schedule, timeZone);
    }

    private static string? Value(string line, string key) =>
        line.StartsWith(key, StringComparison.OrdinalIgnoreCase) && line[key.Length..].Trim() is { Length: > 0 } value ? value : null;
}
