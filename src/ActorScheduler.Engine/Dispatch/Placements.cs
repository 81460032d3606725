using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The dispatcher's bookkeeping, without an actor: the workers (<see cref="WorkerDirectory"/>), the runs that wait —
/// parked while no worker may take them at all, queued while the workers that may are full or the node's catch-up
/// budget is spent — and the placements: which run went to which worker and is not released yet. Each call returns
/// what the dispatcher must do.
/// </summary>
/// <remarks>
/// The placements are not a second source of truth beside the job's <c>InFlight</c>: they are this node's cache of
/// where it sent runs, kept so a worker that leaves can be reported, and reconciled with the jobs as
/// docs/ARCHITECTURE.md ("The dispatcher's placements") lists case by case.
/// </remarks>
/// <param name="maxCatchUpInFlight">Catch-up runs placed at once at most (the node's catch-up budget).</param>
public sealed class Placements(int maxCatchUpInFlight = int.MaxValue)
{
    /// <param name="Canceled">The job asked to stop it: if its worker never accepts it, it is not placed again.</param>
    private sealed record Placement(DispatchRun Run, Address Worker, string WorkerName, bool Canceled = false);

    /// <summary>How many queued runs one freed capacity tries before it stops (a bound on each release's work).</summary>
    public const int QueueScan = 64;

    private readonly WorkerDirectory _workers = new();
    private readonly Dictionary<RunId, Placement> _placed = new();
    private readonly WaitingRuns _parked = new();
    private readonly WaitingRuns _queued = new();
    private int _catchUpInFlight;

    // Whether the last scan of the queue stopped at its bound (said once until a scan gets through again).
    private bool _scanCut;

    public int WorkersUp => _workers.Count;

    public int Waiting => _parked.Count + _queued.Count;

    public bool IsPlaced(RunId runId) => _placed.ContainsKey(runId);

    /// <summary>
    /// A job's new (or re-sent) run: to the least busy eligible worker with a free slot, or waiting. A run that waits
    /// for a worker is logged; one that waits for a slot is not (a burst queues thousands), but the queue forming is.
    /// </summary>
    public IReadOnlyList<DispatchAction> Place(DispatchRun run)
    {
        var queuedBefore = _queued.Count;
        if (TryPlace(run) is { } start)
            return [start];
        if (!_queued.Contains(run.RunId))
            return [new Notice($"Run {run.RunId} waits for a worker matching '{run.Worker ?? "any"}' ({_workers.TakingRuns} workers taking runs)")];
        return queuedBefore == 0
            ? [new Notice($"Runs wait for free slots: every slot of the workers run {run.RunId} may use is taken{(IsCatchUp(run) ? ", or the catch-up budget is spent" : "")}; they start in order as slots free")]
            : [];
    }

    /// <summary>A member with the worker role is up: it joins the directory and the waiting runs are placed again.</summary>
    public IReadOnlyList<DispatchAction> WorkerUp(Address address, IReadOnlyCollection<string> roles)
    {
        if (!_workers.Add(address, roles))
            return [];
        List<DispatchAction> actions = [new Notice($"Worker {_workers.NameOf(address)} is up at {address}")];
        foreach (var run in _parked.TakeAll())
            actions.AddRange(Place(run));
        actions.AddRange(PlaceQueued());
        return actions;
    }

    /// <summary>A worker left or was downed: every run placed on it is lost.</summary>
    public IReadOnlyList<DispatchAction> WorkerGone(Address address, string why)
    {
        var name = _workers.NameOf(address);
        if (!_workers.Remove(address))
            return [];
        var lost = _placed.Values.Where(p => p.Worker == address).ToList();
        foreach (var placement in lost)
            Untrack(placement.Run.RunId, out _);
        return [.. lost.Select(p => new ReportLost(p.Run, $"worker {name} {why}")), .. PlaceQueued()];
    }

    /// <summary>
    /// The worker did not accept in time: the run is placed again (a worker ignores a duplicate). A canceled one is
    /// not; its job hears it ended (should the worker start it late after all, the job refuses its start report and
    /// the worker stops it).
    /// </summary>
    public IReadOnlyList<DispatchAction> AcceptTimedOut(RunId runId)
    {
        if (!Untrack(runId, out var placement))
            return [];
        if (placement.Canceled)
            return [CanceledBeforeStart(placement.Run, $"canceled; worker {placement.WorkerName} did not accept it")];
        return [new Notice($"Worker {placement.WorkerName} did not accept run {runId}; placing it again", Warning: true), .. Place(placement.Run)];
    }

    /// <summary>
    /// The worker refused the run: a stopping one gets no more runs; a full one (other dispatchers' runs fill it too)
    /// none until <see cref="RetryFull"/>. The run goes elsewhere or waits.
    /// </summary>
    public IReadOnlyList<DispatchAction> Refused(RunId runId, string reason, bool full)
    {
        if (!Untrack(runId, out var placement))
            return [];
        if (placement.Canceled)
            return [CanceledBeforeStart(placement.Run, $"canceled; worker {placement.WorkerName} refused it ({reason})"), .. PlaceQueued()];
        var actions = new List<DispatchAction>();
        if (full)
            _workers.MarkFull(placement.Worker);
        else if (_workers.MarkDraining(placement.Worker))
            actions.Add(new Notice($"Worker {placement.WorkerName} is stopping ({reason}); it gets no more runs"));
        actions.AddRange(Place(placement.Run));
        return actions;
    }

    /// <summary>Workers that said they were full are candidates again; queued runs are tried.</summary>
    public IReadOnlyList<DispatchAction> RetryFull() => _workers.ForgetFull() ? PlaceQueued() : [];

    /// <summary>The worker is done with the run (its outcome goes to the job directly): its slot goes to a queued run.</summary>
    public IReadOnlyList<DispatchAction> Released(RunId runId) => Untrack(runId, out _) ? PlaceQueued() : [];

    /// <summary>
    /// The job asks to stop the run, wherever it is: a waiting one never started, so its job hears it ended; a placed
    /// one is stopped on its worker, which reports its end.
    /// </summary>
    public IReadOnlyList<DispatchAction> Cancel(CancelDispatchedRun cancel)
    {
        if (_parked.Remove(cancel.RunId) || _queued.Remove(cancel.RunId))
            return [new ReportCanceled(cancel.RunId, cancel.FencingToken, "canceled before it was placed on a worker")];
        if (_placed.TryGetValue(cancel.RunId, out var placement))
        {
            _placed[cancel.RunId] = placement with { Canceled = true };
            return [new SendStop(placement.Worker, cancel.RunId)];
        }
        // Not known here and no worker reported starting it: it never reached a worker from this node. (Had another
        // node's dispatcher placed it before a fail-over, that worker's start report is refused and it stops the run.)
        if (cancel.Worker is null)
            return [new ReportCanceled(cancel.RunId, cancel.FencingToken, "canceled before it reached a worker")];
        // Placed by another node's dispatcher: stop it on the worker the job last heard from.
        return _workers.Named(cancel.Worker).Select(address => (DispatchAction)new SendStop(address, cancel.RunId)).ToList();
    }

    /// <summary>A recovered job says the run is running on a named worker: probe it there, or report it lost.</summary>
    public IReadOnlyList<DispatchAction> Reconcile(ReconcileRun reconcile)
    {
        if (_workers.Named(reconcile.Worker).FirstOrDefault() is not { } address)
            return [new ReportLost(reconcile.Run, $"worker {reconcile.Worker ?? "(unknown)"} is not in the cluster")];
        Track(new Placement(reconcile.Run, address, _workers.NameOf(address)));
        return [new SendProbe(address, reconcile.Run.RunId)];
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

    /// <summary>Places the run, or parks or queues it (replacing a waiting request of the same run: only the newest fencing token counts).</summary>
    private SendStart? TryPlace(DispatchRun run)
    {
        _parked.Remove(run.RunId);
        _queued.Remove(run.RunId);
        if (PlaceNow(run, out var eligibleLater) is { } start)
            return start;
        (eligibleLater ? _queued : _parked).Add(run);
        return null;
    }

    /// <summary>The run's placement if a worker with a free slot (and, for a catch-up run, the budget) allows it now.</summary>
    private SendStart? PlaceNow(DispatchRun run, out bool eligibleLater)
    {
        var budgetLeft = !IsCatchUp(run) || _catchUpInFlight < maxCatchUpInFlight;
        var chosen = _workers.Pick(run, out eligibleLater);
        if (!budgetLeft || chosen is not var (address, name))
        {
            eligibleLater |= !budgetLeft;
            return null;
        }
        Track(new Placement(run, address, name));
        return new SendStart(address, run);
    }

    /// <summary>
    /// Queued runs in order, while capacity lasts: it stops as soon as no worker has a free slot, and after
    /// <see cref="QueueScan"/> runs that still do not fit (runs for busy workers ahead of runs for idle ones).
    /// </summary>
    private List<DispatchAction> PlaceQueued()
    {
        var actions = new List<DispatchAction>();
        var misses = 0;
        foreach (var run in _queued.InOrder())
        {
            if (!_workers.AnyFreeSlot())
                break;
            if (PlaceNow(run, out _) is { } start)
            {
                _queued.Remove(run.RunId);
                actions.Add(start);
            }
            else if (++misses >= QueueScan)
            {
                if (!_scanCut)
                    actions.Add(new Notice($"Stopped looking for queued runs that fit after {QueueScan} queued runs that do not ({_queued.Count} wait); the rest are tried when the next slot frees", Warning: true));
                _scanCut = true;
                return actions;
            }
        }
        _scanCut = false;
        return actions;
    }

    private static ReportCanceled CanceledBeforeStart(DispatchRun run, string why) => new(run.RunId, run.FencingToken, why);

    private static bool IsCatchUp(DispatchRun run) => run.Trigger == RunTrigger.CatchUp;

    private void Track(Placement placement)
    {
        Untrack(placement.Run.RunId, out _);
        _placed[placement.Run.RunId] = placement;
        _workers.Occupy(placement.Worker);
        if (IsCatchUp(placement.Run))
            _catchUpInFlight++;
    }

    private bool Untrack(RunId runId, out Placement placement)
    {
        if (!_placed.Remove(runId, out placement!))
            return false;
        _workers.Free(placement.Worker);
        if (IsCatchUp(placement.Run))
            _catchUpInFlight--;
        return true;
    }
}
