namespace ActorScheduler.Engine.Storage;

/// <summary>
/// The node's data is its own: the journal holds job definitions with their environment values and HTTP headers,
/// and runs' output. On Unix the data directory is created 0700 and the database files 0600 (SQLite gives its WAL
/// and shared-memory files the database file's mode), and files found looser are tightened.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates <paramref name="path"/> readable by its owner only. An existing directory is left as it is (it may be
    /// a directory of the operator's), but one that others can read is reported.
    /// </summary>
    /// <returns>A warning to log, or null.</returns>
    public static string? EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return null;
        }
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, PrivateDirectoryMode);
            return null;
        }
        return (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0
            ? $"The data directory {path} can be read by other users; it holds job definitions and run output (chmod 700 it)."
            : null;
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty and 0600 if missing, and takes group and other access away if it has any.
    /// A file this user may not change (another owner's, shared through a group) is left as it is and reported.
    /// </summary>
    /// <returns>A warning to log, or null.</returns>
    public static string? EnsureFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return null;
        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode });
            return null;
        }
        if ((File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) == 0)
            return null;
        try
        {
            File.SetUnixFileMode(path, PrivateFileMode);
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"The database file {path} can be read by other users and its mode cannot be changed by this user ({e.Message}); " +
                "it holds job definitions and run output (chmod 600 it as its owner).";
        }
    }
}
