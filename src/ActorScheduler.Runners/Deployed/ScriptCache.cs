using ActorScheduler.Core.Definitions;

namespace ActorScheduler.Runners.Deployed;

/// <summary>
/// Deployed scripts a worker has fetched, on its disk under <see cref="Directory"/>: <c>{sha256}/{file name}</c>,
/// executable by the worker's user only. Every read is checked against the hash (a changed or damaged file is removed
/// and fetched again); the cache keeps within its bounds by evicting the least recently used scripts, and logs it.
/// At start it picks up what an earlier run of the worker left, oldest use (file time) first.
/// </summary>
public sealed class ScriptCache
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateDirectory = Executable;

    private readonly object _gate = new();
    private readonly ScriptCacheIndex _index;
    private readonly Action<string> _log;

    /// <param name="log">Told of every eviction and every cached file that no longer matched its hash.</param>
    public ScriptCache(string directory, long maxBytes, int maxEntries, Action<string> log)
    {
        Directory = Path.GetFullPath(directory);
        (_index, _log) = (new ScriptCacheIndex(maxBytes, maxEntries), log);
        System.IO.Directory.CreateDirectory(Directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Directory, PrivateDirectory);
        var found = System.IO.Directory.EnumerateDirectories(Directory).Where(d => ScriptHash.IsWellFormed(Path.GetFileName(d)))
            .OrderBy(System.IO.Directory.GetLastWriteTimeUtc).ToList();
        foreach (var entry in found)
            Evict(_index.Add(Path.GetFileName(entry), System.IO.Directory.EnumerateFiles(entry).Sum(f => new FileInfo(f).Length)), "at start");
    }

    public string Directory { get; }

    /// <summary>The cached file of <paramref name="hash"/> under <paramref name="name"/>, checked against the hash; null when it is not cached.</summary>
    public string? Find(string hash, string name)
    {
        var file = FileOf(hash, name);
        byte[] content;
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // not cached under this name (or evicted meanwhile)
        }
        if (!ScriptHash.Matches(content, hash))
        {
            _log($"Cached script {file} no longer matches its hash; removed, it is fetched again.");
            lock (_gate)
                Delete(hash);
            return null;
        }
        lock (_gate)
            if (!_index.Touch(hash))
                Evict(_index.Add(hash, content.Length), "to make room");
        TryMarkUsed(hash);
        return file;
    }

    /// <summary>Writes <paramref name="content"/> (already checked against <paramref name="hash"/>) and answers its file.</summary>
    public string Store(string hash, string name, byte[] content)
    {
        var directory = Path.Combine(Directory, hash);
        var file = FileOf(hash, name);
        System.IO.Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, Executable);
        File.Move(temporary, file, overwrite: true); // atomic: a reader sees the old file or the whole new one
        lock (_gate)
            Evict(_index.Add(hash, content.Length), "to make room");
        return file;
    }

    private string FileOf(string hash, string name) => Path.Combine(Directory, hash, name);

    private void Evict(IReadOnlyList<string> hashes, string why)
    {
        foreach (var hash in hashes)
        {
            _log($"Script cache {Directory} is full ({_index.Count} scripts, {_index.Bytes} bytes kept): evicted the least recently used script {hash} {why}.");
            Delete(hash);
        }
    }

    private void Delete(string hash)
    {
        _index.Remove(hash);
        try
        {
            System.IO.Directory.Delete(Path.Combine(Directory, hash), recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone already, or busy: a left-over directory is picked up (and bounded) at the next start.
        }
    }

    /// <summary>The directory's time orders the scripts by use when the worker starts again.</summary>
    private void TryMarkUsed(string hash)
    {
        try
        {
            System.IO.Directory.SetLastWriteTimeUtc(Path.Combine(Directory, hash), DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only the order after a restart depends on it.
        }
    }
}
