namespace ActorScheduler.Runners.Shell;

/// <summary>
/// Turns a command's program into the full path that will be executed, the way execvp would but with two
/// deliberate differences: names are looked up on the worker's own PATH (a job's env cannot redirect "bash" to
/// a file of its choosing), and relative paths are taken from the run's working directory. The runner then
/// starts exactly this path, so the file the policy approved is the file that runs.
/// </summary>
internal static class ProgramResolver
{
    public static bool IsBareName(string program) => !program.Contains('/') && !Path.IsPathRooted(program);

    /// <returns>The normalized full path (".." resolved), or null when no such executable file exists.</returns>
    public static string? Resolve(string program, string workingDirectory)
    {
        if (IsBareName(program)) return FindOnPath(program);
        var full = Path.GetFullPath(program, workingDirectory);
        return File.Exists(full) ? full : null;
    }

    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            // A relative PATH entry would make the answer depend on the run's directory; skip it.
            if (!Path.IsPathRooted(directory)) continue;
            var candidate = Path.GetFullPath(Path.Combine(directory, name));
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    public static bool IsExecutable(string file)
    {
        if (OperatingSystem.IsWindows()) return true;
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(file) & anyExecute) != 0;
    }
}
