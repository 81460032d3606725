using ActorScheduler.Core;
using ActorScheduler.Engine.Protocol;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// Concurrency keys at the dispatcher: a run of a job with a key waits here until the permit keeper grants it a
/// permit, and only then is placed like any run. The permit is returned wherever the run leaves this dispatcher for
/// good (its worker released it, it was lost, or it was canceled); a run re-placed (accept time-out, refusal) keeps it.
/// </summary>
/// <remarks>
/// A grant for a run this dispatcher does not wait for is ignored: either the run was canceled here, and the release
/// sent after the request frees that permit, or another dispatcher took the run over and asked for it since (the
/// keeper's check with the job frees anything left over).
/// </remarks>
public sealed partial class Placements
{
    private readonly WaitingRuns _awaitingPermit = new();
    private readonly Dictionary<RunId, string> _permitted = new();
    private readonly HashSet<RunId> _refusedPermit = [];

    /// <summary>Runs waiting for a permit of their concurrency key.</summary>
    public int AwaitingPermit => _awaitingPermit.Count;

    /// <summary>Runs placed or waiting for a worker that hold a permit.</summary>
    public int HoldingPermit => _permitted.Count;

    /// <summary>Whether this dispatcher has runs of concurrency keys (and so must keep an eye on the keeper).</summary>
    public bool HasPermitWork => _awaitingPermit.Count > 0 || _permitted.Count > 0;

    private bool NeedsPermit(DispatchRun run) => run.Concurrency is { Key: not null } && !_permitted.ContainsKey(run.RunId);

    /// <summary>A keyed run without a permit waits for one (a newer request of it replaces the older, and asks again).</summary>
    private IReadOnlyList<DispatchAction> AwaitPermit(DispatchRun run)
    {
        _awaitingPermit.Add(run);
        _refusedPermit.Remove(run.RunId);
        return [new AskPermit(run)];
    }

    /// <summary>
    /// The keeper granted the run a permit: it is placed now. A grant to <paramref name="confirm"/> (from a keeper other
    /// than the one this dispatcher last told its permits: a replaced one, or not known yet) is claimed with the keeper
    /// answering now, which may have the run still in line.
    /// </summary>
    public IReadOnlyList<DispatchAction> PermitGranted(RunId runId, bool confirm = false)
    {
        if (!_awaitingPermit.TryTake(runId, out var run))
            return [];
        var key = _permitted[runId] = run.Concurrency!.Key!;
        return confirm ? [new ClaimPermit(key, runId), .. Place(run)] : Place(run);
    }

    /// <summary>The keeper had no room to queue the run: it is asked for again at <see cref="AskAgainForRefused"/>.</summary>
    public void PermitRefused(RunId runId)
    {
        if (_awaitingPermit.Contains(runId))
            _refusedPermit.Add(runId);
    }

    /// <summary>The runs the keeper refused to queue, asked for again, in the order they came.</summary>
    public IReadOnlyList<DispatchAction> AskAgainForRefused()
    {
        var again = _awaitingPermit.InOrder().Where(run => _refusedPermit.Contains(run.RunId)).Select(run => (DispatchAction)new AskPermit(run)).ToList();
        _refusedPermit.Clear();
        return again;
    }

    /// <summary>A new keeper answers: it is told every permit held here, then every run that waits, in order, then that this is all.</summary>
    public IReadOnlyList<DispatchAction> PermitClaims()
    {
        _refusedPermit.Clear();
        return [.. _permitted.Select(held => (DispatchAction)new ClaimPermit(held.Value, held.Key)),
                .. _awaitingPermit.InOrder().Select(run => (DispatchAction)new AskPermit(run)), new ClaimsTold()];
    }

    /// <summary>The run no longer waits for a permit here (canceled): the keeper withdraws it too.</summary>
    private bool StopAwaitingPermit(RunId runId)
    {
        _refusedPermit.Remove(runId);
        return _awaitingPermit.Remove(runId);
    }

    /// <summary>The run left this dispatcher for good: its permit, if it holds one, is returned.</summary>
    private IEnumerable<DispatchAction> Ended(RunId runId, PermitRelease why) =>
        _permitted.Remove(runId) ? [new ReturnPermit(runId, why)] : [];

    /// <summary>A recovered job's run is on a worker: if it has a key, this dispatcher holds its permit, and tells the keeper.</summary>
    private IEnumerable<DispatchAction> HoldsPermit(DispatchRun run)
    {
        if (run.Concurrency is not { Key: { } key })
            return [];
        StopAwaitingPermit(run.RunId);
        _permitted[run.RunId] = key;
        return [new ClaimPermit(key, run.RunId)];
    }

    /// <summary>A recovered job's run is lost before this dispatcher tracked it: whoever held its permit, it is free.</summary>
    private IEnumerable<DispatchAction> LostUntracked(DispatchRun run)
    {
        _permitted.Remove(run.RunId);
        StopAwaitingPermit(run.RunId);
        return run.Concurrency is { Key: not null } ? [new ReturnPermit(run.RunId, PermitRelease.Lost)] : [];
    }
}
