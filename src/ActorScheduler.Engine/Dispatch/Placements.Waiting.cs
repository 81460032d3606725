using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The runs that wait at the dispatcher, one per run id (a newer request of a run replaces the older): parked while no
/// worker may take them at all, queued while every worker that may is full, paced while the node's catch-up budget is
/// spent (catch-up runs only). Each freed slot is offered first to the paced runs the budget now admits, then to the
/// queue; a catch-up run the budget holds back goes back to the paced ones, so it never stands in the way of others.
/// </summary>
public sealed partial class Placements
{
    /// <summary>How many queued runs one freed slot tries that do not fit before it stops (a bound on each release's work).</summary>
    public const int QueueScan = 64;

    private readonly WaitingRuns _parked = new();
    private readonly WaitingRuns _queued = new();
    private readonly WaitingRuns _paced = new();

    // Whether the last scan of the queue stopped at its bound (said once until a scan gets through again).
    private bool _scanCut;

    public int Waiting => _parked.Count + _queued.Count + _paced.Count;

    /// <summary>
    /// A job's new (or re-sent) run: a run of a concurrency key first waits for a permit (Placements.Permits.cs); then
    /// to the least busy eligible worker with a free slot, or waiting. A run that waits for a worker is logged; runs
    /// that wait for a slot or the catch-up budget are not, one by one (a burst queues thousands), but the queue forming is.
    /// </summary>
    public IReadOnlyList<DispatchAction> Place(DispatchRun run)
    {
        if (NeedsPermit(run))
            return AwaitPermit(run);
        var (queuedBefore, pacedBefore) = (_queued.Count, _paced.Count);
        if (TryPlace(run) is { } start)
            return [start];
        if (_parked.Contains(run.RunId))
            return [new Notice($"Run {run.RunId} waits for a worker matching '{run.Worker ?? "any"}' ({_workers.TakingRuns} workers taking runs)")];
        if (_paced.Contains(run.RunId))
            return pacedBefore == 0
                ? [new Notice($"Catch-up runs wait for the node's catch-up budget ({maxCatchUpInFlight} in flight at most); they start as earlier ones end")]
                : [];
        return queuedBefore == 0
            ? [new Notice($"Runs wait for free slots: every slot of the workers run {run.RunId} may use is taken; they start as slots free")]
            : [];
    }

    private bool StopWaiting(RunId runId) => _parked.Remove(runId) | _queued.Remove(runId) | _paced.Remove(runId);

    private bool BudgetSpent => _catchUpInFlight >= maxCatchUpInFlight;

    /// <summary>Places the run, or parks, queues or paces it (replacing a waiting request of the same run: only the newest fencing token counts).</summary>
    private SendStart? TryPlace(DispatchRun run)
    {
        StopWaiting(run.RunId);
        if (IsCatchUp(run) && BudgetSpent)
        {
            _paced.Add(run);
            return null;
        }
        if (PlaceNow(run, out var eligibleLater) is { } start)
            return start;
        (eligibleLater ? _queued : _parked).Add(run);
        return null;
    }

    /// <summary>The run's placement if a worker with a free slot allows it now; else null, with whether one may later.</summary>
    private SendStart? PlaceNow(DispatchRun run, out bool eligibleLater)
    {
        if (_workers.Pick(run, out eligibleLater) is not var (address, name))
            return null;
        Track(new Placement(run, address, name));
        return new SendStart(address, run);
    }

    /// <summary>
    /// Offers free slots to the waiting runs: the paced ones the budget admits, then the queue in order. It stops as
    /// soon as no worker has a free slot, and after <see cref="QueueScan"/> queued runs that still do not fit (runs
    /// for busy workers ahead of runs for idle ones).
    /// </summary>
    private List<DispatchAction> PlaceQueued()
    {
        var actions = new List<DispatchAction>();
        foreach (var run in _paced.InOrder())
        {
            if (BudgetSpent || !_workers.AnyFreeSlot())
                break;
            _paced.Remove(run.RunId);
            if (TryPlace(run) is { } start)
                actions.Add(start);
        }
        var misses = 0;
        foreach (var run in _queued.InOrder())
        {
            if (!_workers.AnyFreeSlot())
                break;
            if (IsCatchUp(run) && BudgetSpent)
            {
                _queued.Remove(run.RunId);
                _paced.Add(run);
            }
            else if (PlaceNow(run, out _) is { } start)
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
}
