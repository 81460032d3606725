using ActorScheduler.Core;
using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>What the dispatcher does after a decision of <see cref="Placements"/>.</summary>
public abstract record DispatchAction;

/// <summary>Send the run to the worker at <paramref name="Worker"/> and expect its <see cref="RunAccepted"/> in time.</summary>
public sealed record SendStart(Address Worker, DispatchRun Run) : DispatchAction;

public sealed record SendStop(Address Worker, RunId RunId) : DispatchAction;

/// <summary>Ask the worker about the run and expect its <see cref="RunProbed"/> in time.</summary>
public sealed record SendProbe(Address Worker, RunId RunId) : DispatchAction;

/// <summary>Tell the run's job that the run is lost (its retry policy decides what follows).</summary>
public sealed record ReportLost(DispatchRun Run, string Why) : DispatchAction;

/// <summary>Something an operator should read in the log.</summary>
public sealed record Notice(string Text, bool Warning = false) : DispatchAction;

/// <summary>
/// The dispatcher's bookkeeping, without an actor: the worker directory (from cluster membership), the runs waiting
/// for a worker, and the placements — which run went to which worker and is not released yet. Each call returns
/// what the dispatcher must do.
/// </summary>
/// <remarks>
/// The placements are not a second source of truth beside the job's <c>InFlight</c>: they are this node's cache of
/// where it sent runs, kept so a worker that leaves can be reported, and reconciled with the jobs as
/// docs/ARCHITECTURE.md ("The dispatcher's placements") lists case by case.
/// </remarks>
public sealed class Placements
{
    private sealed record Worker(string Name, IReadOnlySet<string> Pools);

    /// <param name="Canceled">The job asked to stop it: if its worker never accepts it, it is not placed again.</param>
    private sealed record Placement(DispatchRun Run, Address Worker, string WorkerName, bool Canceled = false);

    private readonly Dictionary<Address, Worker> _workers = new();
    private readonly Dictionary<RunId, Placement> _placed = new();

    // Placement counts are kept as they change: counting placements per candidate made a burst quadratic.
    private readonly Dictionary<Address, int> _active = new();

    // Workers that refused a run because they are stopping: still members (their runs in flight finish and
    // report), but not candidates any more.
    private readonly HashSet<Address> _draining = new();
    private readonly List<DispatchRun> _waiting = new();
    private int _turn;

    public int WorkersUp => _workers.Count;

    public int Waiting => _waiting.Count;

    public bool IsPlaced(RunId runId) => _placed.ContainsKey(runId);

    /// <summary>A job's new (or re-sent) run: to the least busy eligible worker, or waiting until one is up.</summary>
    public IReadOnlyList<DispatchAction> Place(DispatchRun run)
    {
        var candidates = _workers.Where(w => !_draining.Contains(w.Key))
            .Select(w => new WorkerCandidate(w.Value.Name, w.Value.Pools, _active.GetValueOrDefault(w.Key), w.Key.ToString()));
        var chosen = WorkerPlacement.Pick(candidates, run.Worker, run.NotWorker, run.StrictWorker, _turn++);
        if (chosen is null)
        {
            // The same run sent again (a recovered job re-sends a pending run under a new fencing token) replaces
            // its waiting request: only the newest is accepted by the job.
            var waiting = _waiting.FindIndex(w => w.RunId == run.RunId);
            if (waiting < 0)
                _waiting.Add(run);
            else
                _waiting[waiting] = run;
            return [new Notice($"Run {run.RunId} waits for a worker matching '{run.Worker ?? "any"}' ({_workers.Keys.Count(a => !_draining.Contains(a))} workers taking runs)")];
        }
        var address = _workers.Keys.First(a => a.ToString() == chosen.Id);
        Track(new Placement(run, address, chosen.Name));
        return [new SendStart(address, run)];
    }

    /// <summary>A member with the worker role is up: it joins the directory and the waiting runs are placed again.</summary>
    public IReadOnlyList<DispatchAction> WorkerUp(Address address, IReadOnlyCollection<string> roles)
    {
        if (!roles.Contains(NodeRoles.Worker) || _workers.ContainsKey(address))
            return [];
        var worker = new Worker(WorkerRoles.NameOf(roles) ?? address.ToString(), WorkerRoles.PoolsOf(roles));
        _workers[address] = worker;
        var actions = new List<DispatchAction> { new Notice($"Worker {worker.Name} is up at {address}") };
        var waiting = _waiting.ToList();
        _waiting.Clear();
        foreach (var run in waiting)
            actions.AddRange(Place(run));
        return actions;
    }

    /// <summary>A worker left or was downed: every run placed on it is lost.</summary>
    public IReadOnlyList<DispatchAction> WorkerGone(Address address, string why)
    {
        _draining.Remove(address);
        if (!_workers.Remove(address, out var worker))
            return [];
        var lost = _placed.Values.Where(p => p.Worker == address).ToList();
        foreach (var placement in lost)
            Untrack(placement.Run.RunId, out _);
        _active.Remove(address);
        return lost.Select(p => (DispatchAction)new ReportLost(p.Run, $"worker {worker.Name} {why}")).ToList();
    }

    /// <summary>The worker did not accept in time: the run is placed again (a worker ignores a duplicate).</summary>
    public IReadOnlyList<DispatchAction> AcceptTimedOut(RunId runId)
    {
        if (!Untrack(runId, out var placement) || placement.Canceled)
            return [];
        return [new Notice($"Worker {placement.WorkerName} did not accept run {runId}; placing it again", Warning: true), .. Place(placement.Run)];
    }

    /// <summary>A stopping worker refused the run: it gets no more runs, and the run goes elsewhere.</summary>
    public IReadOnlyList<DispatchAction> Refused(RunId runId, string reason)
    {
        if (!Untrack(runId, out var placement))
            return [];
        var actions = new List<DispatchAction>();
        if (_draining.Add(placement.Worker))
            actions.Add(new Notice($"Worker {placement.WorkerName} is stopping ({reason}); it gets no more runs"));
        actions.AddRange(Place(placement.Run));
        return actions;
    }

    /// <summary>The worker is done with the run (its outcome goes to the job directly).</summary>
    public void Released(RunId runId) => Untrack(runId, out _);

    /// <summary>The job asks to stop the run, wherever it is.</summary>
    public IReadOnlyList<DispatchAction> Cancel(CancelDispatchedRun cancel)
    {
        if (_waiting.RemoveAll(w => w.RunId == cancel.RunId) > 0)
            return [];
        if (_placed.TryGetValue(cancel.RunId, out var placement))
        {
            _placed[cancel.RunId] = placement with { Canceled = true };
            return [new SendStop(placement.Worker, cancel.RunId)];
        }
        // Placed by another node's dispatcher (before a fail-over): stop it on the worker the job last heard from.
        return _workers.Where(w => w.Value.Name == cancel.Worker).Select(w => (DispatchAction)new SendStop(w.Key, cancel.RunId)).ToList();
    }

    /// <summary>A recovered job says the run is running on a named worker: probe it there, or report it lost.</summary>
    public IReadOnlyList<DispatchAction> Reconcile(ReconcileRun reconcile)
    {
        var worker = _workers.FirstOrDefault(w => w.Value.Name == reconcile.Worker);
        if (worker.Key is null)
            return [new ReportLost(reconcile.Run, $"worker {reconcile.Worker ?? "(unknown)"} is not in the cluster")];
        Track(new Placement(reconcile.Run, worker.Key, worker.Value.Name));
        return [new SendProbe(worker.Key, reconcile.Run.RunId)];
    }

    /// <summary>The worker's answer to a probe: a run it does not know is lost.</summary>
    public IReadOnlyList<DispatchAction> Probed(RunId runId, ProbeAnswer answer) =>
        answer == ProbeAnswer.Unknown && Untrack(runId, out var placement)
            ? Lost(placement, $"worker {placement.WorkerName} no longer has the run")
            : [];

    public IReadOnlyList<DispatchAction> ProbeTimedOut(RunId runId) =>
        Untrack(runId, out var placement) ? Lost(placement, $"worker {placement.WorkerName} did not answer about the run") : [];

    /// <summary>The job hears the run is lost, and the worker (still a member: a gone one has no placements) is told to stop it.</summary>
    private static IReadOnlyList<DispatchAction> Lost(Placement placement, string why) =>
        [new SendStop(placement.Worker, placement.Run.RunId), new ReportLost(placement.Run, why)];

    private void Track(Placement placement)
    {
        Untrack(placement.Run.RunId, out _);
        _placed[placement.Run.RunId] = placement;
        _active[placement.Worker] = _active.GetValueOrDefault(placement.Worker) + 1;
    }

    private bool Untrack(RunId runId, out Placement placement)
    {
        if (!_placed.Remove(runId, out placement!))
            return false;
        _active[placement.Worker] = Math.Max(0, _active.GetValueOrDefault(placement.Worker) - 1);
        return true;
    }
}
