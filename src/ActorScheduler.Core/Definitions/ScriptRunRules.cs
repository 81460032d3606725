namespace ActorScheduler.Core.Definitions;

/// <summary>What a <c>run.script</c> must hold: a repository path, a well-formed hash, and shell-like arguments and environment.</summary>
public static class ScriptRunRules
{
    /// <summary>The longest repository path a script may have.</summary>
    public const int MaxPathLength = 1_024;

    public static void Validate(ScriptRunSpec script, Action<string, string> error)
    {
        if (PathProblem(script.Path) is { } pathProblem)
            error("run.script.path", pathProblem);
        if (!ScriptHash.IsWellFormed(script.Sha256))
            error("run.script.sha256", $"'{script.Sha256}' must be the SHA-256 of the deployed script: {ScriptHash.Length} lowercase hex digits.");
        if (script.Args?.Any(a => a is null || a.Contains('\0')) == true)
            error("run.script.args", "must not contain null arguments or NUL characters.");
        ShellEnvironmentRules.Validate(script.Env, "run.script.env", error);
        if (script.WorkingDirectory is "" || script.WorkingDirectory?.Contains('\0') == true)
            error("run.script.workingDirectory", "must not be empty or hold NUL characters.");
        if (script.Stdin is not (null or "none" or "payload"))
            error("run.script.stdin", $"'{script.Stdin}' must be \"payload\" (the run's data as JSON on standard input) or \"none\".");
    }

    /// <summary>
    /// Why <paramref name="path"/> is not a repository path of a script (relative, '/'-separated, no '.' or '..' part,
    /// no control characters), or null.
    /// </summary>
    public static string? PathProblem(string? path)
    {
        if (string.IsNullOrEmpty(path))
            return "is required: the script's path in the repository it was deployed from.";
        if (path.Length > MaxPathLength || path.Any(char.IsControl) || path.StartsWith('/') || path.Contains('\\'))
            return $"'{path}' must be a relative path with '/' separators, without control characters, at most {MaxPathLength} characters.";
        return path.Split('/').Any(part => part is "" or "." or "..")
            ? $"'{path}' must not have empty, '.' or '..' parts."
            : null;
    }

    /// <summary>The file name a path ends with (<c>jobs/extract.sh</c> → <c>extract.sh</c>).</summary>
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
