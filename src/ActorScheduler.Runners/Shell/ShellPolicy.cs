namespace ActorScheduler.Runners.Shell;

/// <summary>
/// Which shell commands a worker may start (worker configuration, not job data). Nothing is allowed unless
/// configured: <see cref="AllowAnyCommand"/>, programs listed in <see cref="AllowedCommands"/>, or files under
/// one of <see cref="ScriptDirectories"/>. Checks compare normalized full paths, so "/scripts/../bin/sh" is
/// judged as "/bin/sh", and a listed name such as "bash" means the file the worker's PATH finds for it.
/// </summary>
public sealed class ShellPolicy
{
    /// <summary>Everything allowed: meant for the loopback all-in-one default, where the user is the operator.</summary>
    public static ShellPolicy AllowAny { get; } = new() { AllowAnyCommand = true };

    public bool AllowAnyCommand { get; init; }

    /// <summary>
    /// Program names looked up on the worker's PATH ("bash") or absolute paths ("/usr/bin/python3"). Allowing an
    /// interpreter (bash, sh, python3, node, perl) allows anything, because the job passes the program to it as an
    /// argument (<c>bash -c '…'</c>); to limit what jobs run, list the scripts or use <see cref="ScriptDirectories"/>.
    /// </summary>
    public IReadOnlyList<string> AllowedCommands { get; init; } = [];

    /// <summary>Absolute directories; any file below one of them (at any depth) may run.</summary>
    public IReadOnlyList<string> ScriptDirectories { get; init; } = [];

    /// <summary>Configuration mistakes, one sentence each; empty when the policy is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var command in AllowedCommands)
            if (string.IsNullOrWhiteSpace(command))
                problems.Add("AllowedCommands holds an empty entry.");
            else if (!ProgramResolver.IsBareName(command) && !Path.IsPathRooted(command))
                problems.Add($"AllowedCommands entry '{command}' must be a program name or an absolute path.");
        foreach (var directory in ScriptDirectories)
            if (string.IsNullOrWhiteSpace(directory) || !Path.IsPathRooted(directory))
                problems.Add($"ScriptDirectories entry '{directory}' must be an absolute directory.");
        return problems;
    }

    /// <summary>Whether the program at this full path (as <see cref="ProgramResolver"/> resolved it) may run.</summary>
    public bool Allows(string resolvedProgram)
    {
        if (AllowAnyCommand) return true;
        var program = Path.GetFullPath(resolvedProgram);
        return AllowedCommands.Any(command => string.Equals(ResolveAllowed(command), program, StringComparison.Ordinal))
            || ScriptDirectories.Any(directory => IsUnder(program, directory));
    }

    /// <summary>One line for the start-up log.</summary>
    public string Describe()
    {
        if (AllowAnyCommand) return "shell: any command allowed";
        if (AllowedCommands.Count == 0 && ScriptDirectories.Count == 0)
            return "shell: no command allowed (configure AllowedCommands, ScriptDirectories or AllowAnyCommand)";
        var parts = new List<string>();
        if (AllowedCommands.Count > 0) parts.Add("commands " + string.Join(", ", AllowedCommands));
        if (ScriptDirectories.Count > 0) parts.Add("scripts under " + string.Join(", ", ScriptDirectories));
        return "shell: " + string.Join("; ", parts);
    }

    internal string Refusal(string program, string resolvedProgram) =>
        $"shell command '{program}' ({resolvedProgram}) is not allowed on this worker: add it to the worker's " +
        "actor-scheduler.worker.shell.allowed-commands, place it under one of its script-directories, or set " +
        "allow-any-command (environment: ACTORSCHEDULER__Worker__Shell__AllowedCommands)";

    private static string? ResolveAllowed(string command) => ProgramResolver.IsBareName(command)
        ? ProgramResolver.FindOnPath(command)
        : Path.GetFullPath(command);

    private static bool IsUnder(string program, string directory)
    {
        var full = Path.GetFullPath(directory);
        var root = Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
        return program.StartsWith(root, StringComparison.Ordinal);
    }
}
