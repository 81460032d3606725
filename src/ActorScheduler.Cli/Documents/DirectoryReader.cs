using System.Text;
using System.Text.Json;
using ActorScheduler.Cli.Running;
using ActorScheduler.Commands;

namespace ActorScheduler.Cli.Documents;

/// <summary>
/// Reads a directory given for a <c>directory</c> parameter (<c>schedctl deploy ./scripts</c>) and answers its files as
/// JSON text, <c>[ { "path", "content" (base64), "executable" } ]</c>, the shape of <c>POST /api/v1/scripts/deploy</c>'s
/// <c>files</c>: the host may run on another machine and never reads this one's disk. What a git push would leave out
/// is left out: names starting with '.' (files, and directories such as .git with everything under them) and symbolic
/// links; a file is executable when its owner may execute it, as git records it. Every failure is a
/// <see cref="UsageException"/> that names the directory.
/// </summary>
internal static class DirectoryReader
{
    /// <summary>The files one deployment sends at most (the node's <c>deploy.max-scripts</c> default).</summary>
    public const int MaxFiles = 1000;

    /// <summary>
    /// The most the files may come to once encoded: the request travels in one frame of the command protocol, which
    /// is at most <see cref="CommandProtocol.DefaultMaxFrameBytes"/>; the rest is left for the frame's envelope.
    /// </summary>
    public const int MaxEncodedBytes = CommandProtocol.DefaultMaxFrameBytes - 64 * 1024;

    private sealed record SentFile(string Path, string Content, bool Executable);

    public static string ReadAsJson(string directory) => ReadAsJson(directory, MaxFiles, MaxEncodedBytes);

    /// <summary>As <see cref="ReadAsJson(string)"/>, with the bounds given (specs use small ones).</summary>
    public static string ReadAsJson(string directory, int maxFiles, int maxEncodedBytes)
    {
        var root = new DirectoryInfo(directory);
        if (!root.Exists)
            throw new UsageException(File.Exists(directory)
                ? $"'{directory}' is a file; give the directory of scripts to deploy."
                : $"The directory '{directory}' does not exist.");
        var files = new List<SentFile>();
        long encoded = 2;
        foreach (var (path, file) in RegularFiles(root, directory, ""))
        {
            if (files.Count == maxFiles)
                throw new UsageException($"'{directory}' holds more than {maxFiles} files (dot files and dot directories left out), " +
                    "more than one deployment may send; deploy a smaller directory, or push it with git.");
            var length = file.Length;
            // at least what the file adds once encoded; stops before reading what cannot be sent anyway
            encoded += (length + 2) / 3 * 4 + Encoding.UTF8.GetByteCount(path) + 48;
            if (encoded > maxEncodedBytes)
                throw TooLarge(directory, maxEncodedBytes);
            files.Add(new SentFile(path, Convert.ToBase64String(Read(file, length, directory)), IsExecutable(file)));
        }
        var json = JsonSerializer.Serialize(files, CommandProtocol.Json);
        // exactly what it comes to as the request's argument: a JSON string inside the frame's JSON
        return Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(json, CommandProtocol.Json)) > maxEncodedBytes ? throw TooLarge(directory, maxEncodedBytes) : json;
    }

    private static UsageException TooLarge(string directory, int maxEncodedBytes) =>
        new($"'{directory}' is too large to deploy with schedctl: its files come to more than {Megabytes(maxEncodedBytes)} once encoded, " +
            "the most one command may send; deploy a smaller directory, or push it with git.");

    /// <summary>Regular files under <paramref name="at"/>, depth first in ordinal order, with their paths relative to the root.</summary>
    private static IEnumerable<(string Path, FileInfo File)> RegularFiles(DirectoryInfo at, string directory, string prefix)
    {
        FileSystemInfo[] entries;
        try
        {
            entries = at.GetFileSystemInfos();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new UsageException($"Cannot read the directory '{directory}': {e.Message}");
        }
        foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Name.StartsWith('.') || entry.LinkTarget is not null)
                continue;
            if (entry is DirectoryInfo subdirectory)
                foreach (var found in RegularFiles(subdirectory, directory, $"{prefix}{entry.Name}/"))
                    yield return found;
            else if (entry is FileInfo file)
                yield return ($"{prefix}{entry.Name}", file);
        }
    }

    /// <summary>
    /// The file's bytes. An empty file is not opened: a named pipe or a device also reports no length, and opening one
    /// would wait for a writer or read without end.
    /// </summary>
    private static byte[] Read(FileInfo file, long length, string directory)
    {
        if (length == 0)
            return [];
        try
        {
            return File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read '{file.FullName}' of the directory '{directory}': {e.Message}");
        }
    }

    private static bool IsExecutable(FileInfo file) =>
        !OperatingSystem.IsWindows() && (file.UnixFileMode & UnixFileMode.UserExecute) != 0;

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
