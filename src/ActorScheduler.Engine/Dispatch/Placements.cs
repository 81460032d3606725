using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The dispatcher's bookkeeping, without an actor: the workers (<see cref="WorkerDirectory"/>), the runs that wait
/// (Placements.Waiting.cs) and the placements: which run went to which worker and is not released yet. Each call
/// returns what the dispatcher must do; every call that frees a slot also offers it to the waiting runs.
/// </summary>
/// <remarks>
/// The placements are not a second source of truth beside the job's <c>InFlight</c>: they are this node's cache of
/// where it sent runs, kept so a worker that leaves can be reported, and reconciled with the jobs as
/// docs/ARCHITECTURE.md ("The dispatcher's placements") lists case by case.
/// </remarks>
/// <param name="maxCatchUpInFlight">Catch-up runs placed at once at most (the node's catch-up budget).</param>
public sealed partial class Placements(int maxCatchUpInFlight = int.MaxValue)
{
    /// <param name="Canceled">The job asked to stop it: if its worker never accepts it, it is not placed again.</param>
    private sealed record Placement(DispatchRun Run, Address Worker, string WorkerName, bool Canceled = false);

    private readonly WorkerDirectory _workers = new();
    private readonly Dictionary<RunId, Placement> _placed = new();
    private int _catchUpInFlight;

    public int WorkersUp => _workers.Count;

    public bool IsPlaced(RunId runId) => _placed.ContainsKey(runId);

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

    /// <summary>
    /// The failure detector lost or found a worker: an unreachable one gets no new runs (runs for it wait, as for a full
    /// one), and waiting runs are tried when it is reachable again. Its runs in flight stay placed until it is removed.
    /// </summary>
    public IReadOnlyList<DispatchAction> WorkerReachable(Address address, bool reachable) =>
        _workers.MarkReachable(address, reachable) && reachable ? PlaceQueued() : [];

    /// <summary>A worker left or was downed: every run placed on it is lost.</summary>
    public IReadOnlyList<DispatchAction> WorkerGone(Address address, string why)
    {
        var name = _workers.NameOf(address);
        if (!_workers.Remove(address))
            return [];
        var lost = _placed.Values.Where(p => p.Worker == address).ToList();
        foreach (var placement in lost)
            Untrack(placement.Run.RunId, out _);
        return [.. lost.SelectMany(p => Ended(p.Run.RunId, PermitRelease.Lost).Prepend(new ReportLost(p.Run, $"worker {name} {why}"))), .. PlaceQueued()];
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
            return [CanceledBeforeStart(placement.Run, $"canceled; worker {placement.WorkerName} did not accept it"), .. Ended(runId, PermitRelease.Canceled), .. PlaceQueued()];
        return [new Notice($"Worker {placement.WorkerName} did not accept run {runId}; placing it again", Warning: true), .. Place(placement.Run), .. PlaceQueued()];
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
            return [CanceledBeforeStart(placement.Run, $"canceled; worker {placement.WorkerName} refused it ({reason})"), .. Ended(runId, PermitRelease.Canceled), .. PlaceQueued()];
        var actions = new List<DispatchAction>();
        if (full)
            _workers.MarkFull(placement.Worker);
        else if (_workers.MarkDraining(placement.Worker))
            actions.Add(new Notice($"Worker {placement.WorkerName} is stopping ({reason}); it gets no more runs"));
        actions.AddRange(Place(placement.Run));
        actions.AddRange(PlaceQueued());
        return actions;
    }

    /// <summary>Workers that said they were full are candidates again; queued runs are tried.</summary>
    public IReadOnlyList<DispatchAction> RetryFull() => _workers.ForgetFull() ? PlaceQueued() : [];

    /// <summary>The worker is done with the run (its outcome goes to the job directly): its slot goes to a queued run, its permit back to the keeper.</summary>
    public IReadOnlyList<DispatchAction> Released(RunId runId) => Untrack(runId, out _) ? [.. Ended(runId, PermitRelease.Ended), .. PlaceQueued()] : [];

    /// <summary>
    /// The job asks to stop the run, wherever it is: a waiting one never started, so its job hears it ended; a placed
    /// one is stopped on its worker, which reports its end.
    /// </summary>
    public IReadOnlyList<DispatchAction> Cancel(CancelDispatchedRun cancel)
    {
        if (StopAwaitingPermit(cancel.RunId))
            return [new ReturnPermit(cancel.RunId, PermitRelease.Canceled),
                    new ReportCanceled(cancel.RunId, cancel.FencingToken, "canceled while it waited for a permit of its concurrency key")];
        if (StopWaiting(cancel.RunId))
            return [new ReportCanceled(cancel.RunId, cancel.FencingToken, "canceled before it was placed on a worker"), .. Ended(cancel.RunId, PermitRelease.Canceled)];
        if (_placed.TryGetValue(cancel.RunId, out var placement))
        {
            _placed[cancel.RunId] = placement with { Canceled = true };
            return [new SendStop(placement.Worker, cancel.RunId)];
        }
        // Not known here and no worker reported starting it: it never reached a worker from this node. Another node's
        // dispatcher may have placed it before a fail-over, and its start may have been accepted but not recorded, so
        // every worker is told to stop it (a worker that does not have it ignores that) before its job hears it ended.
        if (cancel.Worker is null)
            return [.. _workers.All.Select(address => (DispatchAction)new SendStop(address, cancel.RunId)),
                    new ReportCanceled(cancel.RunId, cancel.FencingToken, "canceled before it reached a worker")];
        // Placed by another node's dispatcher: stop it on the worker the job last heard from.
        return _workers.Named(cancel.Worker).Select(address => (DispatchAction)new SendStop(address, cancel.RunId)).ToList();
    }

    /// <summary>A recovered job says the run is running on a named worker: probe it there, or report it lost.</summary>
    public IReadOnlyList<DispatchAction> Reconcile(ReconcileRun reconcile)
    {
        if (_workers.Named(reconcile.Worker).FirstOrDefault() is not { } address)
            return [new ReportLost(reconcile.Run, $"worker {reconcile.Worker ?? "(unknown)"} is not in the cluster"), .. LostUntracked(reconcile.Run)];
        Track(new Placement(reconcile.Run, address, _workers.NameOf(address)));
        return [.. HoldsPermit(reconcile.Run), new SendProbe(address, reconcile.Run.RunId)];
    }

    /// <summary>The worker's answer to a probe: a run it does not know is lost.</summary>
    public IReadOnlyList<DispatchAction> Probed(RunId runId, ProbeAnswer answer) =>
        answer == ProbeAnswer.Unknown && Untrack(runId, out var placement)
            ? Lost(placement, $"worker {placement.WorkerName} no longer has the run")
            : [];

    public IReadOnlyList<DispatchAction> ProbeTimedOut(RunId runId) =>
        Untrack(runId, out var placement) ? Lost(placement, $"worker {placement.WorkerName} did not answer about the run") : [];

    /// <summary>The job hears the run is lost, and the worker (still a member: a gone one has no placements) is told to stop it.</summary>
    private IReadOnlyList<DispatchAction> Lost(Placement placement, string why) =>
        [new SendStop(placement.Worker, placement.Run.RunId), new ReportLost(placement.Run, why), .. Ended(placement.Run.RunId, PermitRelease.Lost), .. PlaceQueued()];

    private static ReportCanceled CanceledBeforeStart(DispatchRun run, string why) => new(run.RunId, run.FencingToken, why);

    // Backfills are catch-up work too: both share the budget, so a large backfill cannot crowd out scheduled runs.
    private static bool IsCatchUp(DispatchRun run) => run.Trigger is RunTrigger.CatchUp or RunTrigger.Backfill;

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
