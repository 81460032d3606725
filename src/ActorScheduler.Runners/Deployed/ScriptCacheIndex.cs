namespace ActorScheduler.Runners.Deployed;

/// <summary>
/// Which cached scripts to keep: at most <paramref name="maxBytes"/> bytes and <paramref name="maxEntries"/> scripts,
/// the least recently used going first. Use is counted, not timed, so the order is exact. Not thread-safe: the
/// <see cref="ScriptCache"/> holds a lock around it.
/// </summary>
public sealed class ScriptCacheIndex(long maxBytes, int maxEntries)
{
    private readonly Dictionary<string, (long Size, long LastUse)> _entries = new(StringComparer.Ordinal);
    private long _uses;

    public int Count => _entries.Count;

    public long Bytes { get; private set; }

    public bool Contains(string hash) => _entries.ContainsKey(hash);

    /// <summary>Marks <paramref name="hash"/> used now; false when it is not in the index.</summary>
    public bool Touch(string hash)
    {
        if (!_entries.TryGetValue(hash, out var entry))
            return false;
        _entries[hash] = entry with { LastUse = ++_uses };
        return true;
    }

    /// <summary>
    /// Adds (or re-adds) <paramref name="hash"/> as the most recently used, then answers the entries to evict to stay
    /// within the bounds, least recently used first; they are already out of the index. The entry just added is never
    /// among them, even when it alone exceeds the byte bound (the run that needs it must be able to use it).
    /// </summary>
    public IReadOnlyList<string> Add(string hash, long size)
    {
        Remove(hash);
        _entries[hash] = (size, ++_uses);
        Bytes += size;
        var evicted = new List<string>();
        while ((Bytes > maxBytes || _entries.Count > maxEntries) && _entries.Count > 1)
        {
            var oldest = _entries.Where(e => e.Key != hash).MinBy(e => e.Value.LastUse).Key;
            Remove(oldest);
            evicted.Add(oldest);
        }
        return evicted;
    }

    public void Remove(string hash)
    {
        if (_entries.Remove(hash, out var entry))
            Bytes -= entry.Size;
    }
}
