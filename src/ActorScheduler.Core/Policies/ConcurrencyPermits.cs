namespace ActorScheduler.Core.Policies;

/// <summary>How the <see cref="PermitBook{TRequester}"/> answers a run asking for a permit of its concurrency key.</summary>
public enum PermitAnswer
{
    /// <summary>The run holds a permit now (or held one already).</summary>
    Granted,

    /// <summary>The run waits, behind those that asked before it; it is granted when a permit frees up.</summary>
    Queued,

    /// <summary>The book holds its maximum of waiting runs: the run is not queued (the caller asks again later).</summary>
    Refused,
}

/// <summary>A waiting run that now holds a permit: <paramref name="Requester"/> is to hear it.</summary>
public sealed record PermitGrant<TRequester>(string Key, RunId RunId, TRequester Requester);

/// <summary>
/// The cluster's concurrency permits, without an actor: per key the runs holding a permit and, in the order they
/// asked, the runs waiting for one. A run is admitted against the limit it brings (jobs sharing a key should give
/// the same one); a waiting run is granted only once every run that asked before it under its key has been, so no run
/// is passed over. Every call that frees a permit answers the waiting runs it grants.
/// </summary>
/// <remarks>
/// Asking again, by a run that holds or waits, changes nothing but who hears the answer (a dispatcher that took the
/// run over). <see cref="Reclaim"/> records a run that holds a permit already (the book was lost with its node and
/// the dispatchers tell it again), even beyond its limit: the run is going, and the book must count it. Until
/// <see cref="Open"/> the book grants nothing new, so the runs going are all reclaimed before any other starts. Time
/// comes in from the caller, which checks held permits (<see cref="DueForCheck"/>) with the runs' jobs.
/// </remarks>
/// <param name="maxWaiting">Runs waiting at once at most, over all keys; beyond it a run is <see cref="PermitAnswer.Refused"/>.</param>
/// <typeparam name="TRequester">Who is told of a grant (the dispatcher that asked).</typeparam>
public sealed class PermitBook<TRequester>(int maxWaiting)
{
    private sealed class Holder(string key, long grant, TRequester requester, DateTimeOffset checkedAt)
    {
        public string Key { get; } = key;
        public long Grant { get; } = grant;
        public TRequester Requester { get; set; } = requester;
        public DateTimeOffset CheckedAt { get; set; } = checkedAt;
    }

    private sealed class Waiter(string key, RunId runId, int limit, TRequester requester)
    {
        public string Key { get; } = key;
        public RunId RunId { get; } = runId;
        public int Limit { get; } = limit;
        public TRequester Requester { get; set; } = requester;
    }

    private sealed class Line
    {
        public readonly HashSet<RunId> Holders = [];
        public readonly LinkedList<Waiter> Waiters = new();
        public bool IsEmpty => Holders.Count == 0 && Waiters.Count == 0;
    }

    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<RunId, Holder> _holders = new();
    private readonly Dictionary<RunId, LinkedListNode<Waiter>> _waiters = new();
    private long _grants;

    /// <summary>Whether new permits are granted (after <see cref="Open"/>); before, only reclaims are.</summary>
    public bool Admitting { get; private set; }

    public int Held => _holders.Count;

    public int Waiting => _waiters.Count;

    public int MaxWaiting => maxWaiting;

    public bool Holds(RunId runId) => _holders.ContainsKey(runId);

    public bool IsWaiting(RunId runId) => _waiters.ContainsKey(runId);

    /// <summary>
    /// Which grant the run's permit is (numbered in the order granted), null when it holds none: an answer about the
    /// run that was asked for under an older grant says nothing about this one.
    /// </summary>
    public long? GrantOf(RunId runId) => _holders.TryGetValue(runId, out var holder) ? holder.Grant : null;

    /// <summary>The runs holding a permit of <paramref name="key"/>.</summary>
    public IReadOnlyCollection<RunId> HoldersOf(string key) => _lines.TryGetValue(key, out var line) ? line.Holders : [];

    /// <summary>The runs waiting for a permit of <paramref name="key"/>, first in line first.</summary>
    public IReadOnlyList<RunId> WaitersOf(string key) =>
        _lines.TryGetValue(key, out var line) ? line.Waiters.Select(w => w.RunId).ToList() : [];

    /// <summary>
    /// <paramref name="runId"/> asks for a permit of <paramref name="key"/>: granted now if the book admits, no run
    /// waits ahead of it and fewer than <paramref name="limit"/> hold one; otherwise queued, or refused at the bound.
    /// </summary>
    public PermitAnswer Acquire(string key, int limit, RunId runId, TRequester requester, DateTimeOffset now)
    {
        if (_holders.TryGetValue(runId, out var holder))
        {
            holder.Requester = requester;
            return PermitAnswer.Granted;
        }
        if (_waiters.TryGetValue(runId, out var waiting))
        {
            waiting.Value.Requester = requester;
            return PermitAnswer.Queued;
        }
        var line = LineOf(key);
        if (Admitting && line.Waiters.Count == 0 && line.Holders.Count < limit)
        {
            Hold(line, key, runId, requester, now);
            return PermitAnswer.Granted;
        }
        if (_waiters.Count >= maxWaiting)
        {
            if (line.IsEmpty)
                _lines.Remove(key);
            return PermitAnswer.Refused;
        }
        _waiters[runId] = line.Waiters.AddLast(new Waiter(key, runId, limit, requester));
        return PermitAnswer.Queued;
    }

    /// <summary>
    /// <paramref name="runId"/> already holds a permit of <paramref name="key"/> (it is placed on a worker): the book
    /// counts it, beyond the limit if need be, and stops counting it as waiting.
    /// </summary>
    public void Reclaim(string key, RunId runId, TRequester requester, DateTimeOffset now)
    {
        if (_holders.TryGetValue(runId, out var holder))
        {
            holder.Requester = requester;
            return;
        }
        var line = LineOf(key);
        if (_waiters.Remove(runId, out var waiting))
            line.Waiters.Remove(waiting);
        Hold(line, key, runId, requester, now);
    }

    /// <summary>
    /// The run's permit is free again, or it no longer waits for one (either, or neither: releasing twice is harmless).
    /// Answers the waiting runs that now hold a permit.
    /// </summary>
    public IReadOnlyList<PermitGrant<TRequester>> Release(RunId runId, DateTimeOffset now)
    {
        string key;
        if (_holders.Remove(runId, out var holder))
        {
            key = holder.Key;
            _lines[key].Holders.Remove(runId);
        }
        else if (_waiters.Remove(runId, out var waiting))
        {
            key = waiting.Value.Key;
            _lines[key].Waiters.Remove(waiting);
        }
        else
            return [];
        return GrantWaiting(key, now);
    }

    /// <summary>New permits are granted from now on: answers the waiting runs that hold one now, key by key.</summary>
    public IReadOnlyList<PermitGrant<TRequester>> Open(DateTimeOffset now)
    {
        Admitting = true;
        return _lines.Keys.ToList().SelectMany(key => GrantWaiting(key, now)).ToList();
    }

    /// <summary>
    /// Runs holding a permit that were last checked (or granted) at or before <paramref name="checkedBefore"/>, at most
    /// <paramref name="max"/>, least recently checked first; their jobs are asked whether they are still in flight.
    /// </summary>
    public IReadOnlyList<RunId> DueForCheck(DateTimeOffset checkedBefore, int max) =>
        _holders.Where(h => h.Value.CheckedAt <= checkedBefore).OrderBy(h => h.Value.CheckedAt)
            .Take(max).Select(h => h.Key).ToList();

    /// <summary>The run's job says the run is still in flight: it keeps its permit until the next check.</summary>
    public void Checked(RunId runId, DateTimeOffset now)
    {
        if (_holders.TryGetValue(runId, out var holder))
            holder.CheckedAt = now;
    }

    private Line LineOf(string key)
    {
        if (!_lines.TryGetValue(key, out var line))
            _lines[key] = line = new Line();
        return line;
    }

    private void Hold(Line line, string key, RunId runId, TRequester requester, DateTimeOffset now)
    {
        line.Holders.Add(runId);
        _holders[runId] = new Holder(key, ++_grants, requester, now);
    }

    // Strictly in order: a first waiter that brings a lower limit than the runs holding permits keeps those behind it waiting.
    private List<PermitGrant<TRequester>> GrantWaiting(string key, DateTimeOffset now)
    {
        var line = _lines[key];
        var granted = new List<PermitGrant<TRequester>>();
        while (Admitting && line.Waiters.First is { } first && line.Holders.Count < first.Value.Limit)
        {
            line.Waiters.RemoveFirst();
            _waiters.Remove(first.Value.RunId);
            Hold(line, key, first.Value.RunId, first.Value.Requester, now);
            granted.Add(new PermitGrant<TRequester>(key, first.Value.RunId, first.Value.Requester));
        }
        if (line.IsEmpty)
            _lines.Remove(key);
        return granted;
    }
}
