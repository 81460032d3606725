using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The workers a dispatcher knows (from cluster membership): their names, pools and slots, the runs this dispatcher
/// has placed on each, and which of them are stopping, said they are full or cannot be reached. Answers which workers a
/// run may go to.
/// </summary>
public sealed class WorkerDirectory
{
    private sealed record Worker(string Name, IReadOnlySet<string> Pools, int Slots);

    private readonly Dictionary<Address, Worker> _workers = new();

    // Placement counts are kept as they change: counting placements per candidate made a burst quadratic.
    private readonly Dictionary<Address, int> _active = new();

    // Workers that refused a run because they are stopping: still members (their runs in flight finish and
    // report), but not candidates any more.
    private readonly HashSet<Address> _draining = new();

    // Workers that refused a run because all their slots were taken (by other dispatchers' runs too): not
    // candidates until the dispatcher tries again.
    private readonly HashSet<Address> _full = new();

    // Workers the failure detector cannot reach (often a worker that died and is about to be downed): no new runs go
    // there until they are reachable again, or the runs would be lost with them.
    private readonly HashSet<Address> _unreachable = new();

    private int _turn;

    public int Count => _workers.Count;

    public int TakingRuns => _workers.Keys.Count(a => !_draining.Contains(a));

    public bool Knows(Address address) => _workers.ContainsKey(address);

    public string NameOf(Address address) => _workers.TryGetValue(address, out var worker) ? worker.Name : address.ToString();

    public IEnumerable<Address> Named(string? name) => _workers.Where(w => w.Value.Name == name).Select(w => w.Key);

    public IEnumerable<Address> All => _workers.Keys;

    /// <summary>Adds a member with the worker role; false when it is not one or is known already.</summary>
    public bool Add(Address address, IReadOnlyCollection<string> roles)
    {
        if (!roles.Contains(NodeRoles.Worker) || _workers.ContainsKey(address))
            return false;
        _workers[address] = new Worker(WorkerRoles.NameOf(roles) ?? address.ToString(), WorkerRoles.PoolsOf(roles), WorkerRoles.SlotsOf(roles));
        return true;
    }

    public bool Remove(Address address)
    {
        _draining.Remove(address);
        _full.Remove(address);
        _unreachable.Remove(address);
        _active.Remove(address);
        return _workers.Remove(address);
    }

    /// <summary>The worker is stopping; true the first time it says so.</summary>
    public bool MarkDraining(Address address) => _draining.Add(address);

    public void MarkFull(Address address) => _full.Add(address);

    /// <summary>Whether the worker can be reached: one that cannot gets no new runs, but may later (it stays eligible).</summary>
    public bool MarkReachable(Address address, bool reachable) =>
        _workers.ContainsKey(address) && (reachable ? _unreachable.Remove(address) : _unreachable.Add(address));

    /// <summary>Forgets which workers said they were full (they may have finished runs since); true if any had.</summary>
    public bool ForgetFull()
    {
        var any = _full.Count > 0;
        _full.Clear();
        return any;
    }

    /// <summary>Whether some worker taking runs has a free slot: when none has, no waiting run can be placed.</summary>
    public bool AnyFreeSlot()
    {
        foreach (var (address, worker) in _workers)
            if (!_draining.Contains(address) && !_full.Contains(address) && !_unreachable.Contains(address) && _active.GetValueOrDefault(address) < worker.Slots)
                return true;
        return false;
    }

    public void Occupy(Address address) => _active[address] = _active.GetValueOrDefault(address) + 1;

    public void Free(Address address) => _active[address] = Math.Max(0, _active.GetValueOrDefault(address) - 1);

    /// <summary>
    /// The worker the run goes to now: the least busy eligible one with a free slot (a preferred worker that is full
    /// counts as no match, so a run that is not strict goes elsewhere); null with whether any worker may take it later.
    /// </summary>
    public (Address Address, string Name)? Pick(DispatchRun run, out bool eligibleLater)
    {
        var taking = _workers.Where(w => !_draining.Contains(w.Key)).ToList();
        var free = taking.Where(w => !_full.Contains(w.Key) && !_unreachable.Contains(w.Key) && _active.GetValueOrDefault(w.Key) < w.Value.Slots);
        var chosen = WorkerPlacement.Pick(free.Select(Candidate), run.Worker, run.NotWorker, run.StrictWorker, _turn++);
        eligibleLater = chosen is null && WorkerPlacement.Eligible(taking.Select(Candidate), run.Worker, run.NotWorker, run.StrictWorker).Count > 0;
        return chosen is null ? null : (taking.First(w => w.Key.ToString() == chosen.Id).Key, chosen.Name);
    }

    private WorkerCandidate Candidate(KeyValuePair<Address, Worker> worker) =>
        new(worker.Value.Name, worker.Value.Pools, _active.GetValueOrDefault(worker.Key), worker.Key.ToString());
}
