using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Jobs;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static Akka.Cluster.ClusterEvent;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// Places runs on worker nodes (one dispatcher per scheduler node). Workers are the cluster members with the
/// <c>worker</c> role; a run waits here while no eligible worker is up, and is placed again if its worker does
/// not accept it in time. When a worker node leaves or is downed, every run placed on it is reported lost to
/// its job, whose retry policy decides what happens next.
/// </summary>
public sealed class Dispatcher : ReceiveActor, IWithTimers, IWithStash
{
    public sealed record UseJobRegion(IActorRef Region);

    private sealed record AcceptTimedOut(RunId RunId);

    private sealed record ProbeTimedOut(RunId RunId);

    private sealed record Placement(DispatchRun Run, Address Worker, string WorkerName);

    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, (string Name, IReadOnlySet<string> Pools)> _workers = new();
    private readonly Dictionary<RunId, Placement> _placed = new();
    private readonly Dictionary<Address, int> _active = new();

    // Workers that refused a run because they are stopping: still members (their runs in flight finish and
    // report), but not candidates any more.
    private readonly HashSet<Address> _draining = new();
    private readonly List<DispatchRun> _waiting = new();
    private IActorRef _region = ActorRefs.Nobody;
    private int _turn;

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new Dispatcher());

    public Dispatcher()
    {
        // Until the cluster's current state has arrived, "no such worker" means "not heard of yet", so
        // reconciliation waits; new runs simply wait for a worker like any other.
        Receive<CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up))
                AddWorker(member);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<ReconcileRun>(_ => Stash.Stash());
        Common();
    }

    private void Ready()
    {
        Receive<ReconcileRun>(Reconcile);
        Common();
    }

    private void Common()
    {
        Receive<UseJobRegion>(use => _region = use.Region);
        Receive<DispatchRun>(Place);
        Receive<CancelDispatchedRun>(Cancel);
        Receive<RunAccepted>(accepted => Timers.Cancel(("accept", accepted.RunId)));
        Receive<AcceptTimedOut>(timeout =>
        {
            if (!Untrack(timeout.RunId, out var placement))
                return;
            _log.Warning("Worker {0} did not accept run {1}; placing it again", placement.WorkerName, timeout.RunId);
            Place(placement.Run);
        });
        Receive<RunProbed>(probed =>
        {
            Timers.Cancel(("probe", probed.RunId));
            if (probed.Answer == ProbeAnswer.Unknown && Untrack(probed.RunId, out var placement))
                ReportLost(placement, $"worker {placement.WorkerName} no longer has the run");
        });
        Receive<ProbeTimedOut>(timeout =>
        {
            if (Untrack(timeout.RunId, out var placement))
                ReportLost(placement, $"worker {placement.WorkerName} did not answer about the run");
        });
        Receive<WorkerReleased>(released => Untrack(released.RunId));
        Receive<RunRefused>(refused =>
        {
            Timers.Cancel(("accept", refused.RunId));
            if (!Untrack(refused.RunId, out var placement))
                return;
            if (_draining.Add(placement.Worker))
                _log.Info("Worker {0} is stopping ({1}); it gets no more runs", placement.WorkerName, refused.Reason);
            Place(placement.Run);
        });
        Receive<MemberUp>(up => AddWorker(up.Member));
        Receive<MemberRemoved>(removed => RemoveWorker(removed.Member.Address, "left the cluster"));
        Receive<MemberDowned>(downed => RemoveWorker(downed.Member.Address, "was downed"));
        Receive<IClusterDomainEvent>(_ => { });
        Receive<JobReply>(_ => { });
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private IEnumerable<WorkerCandidate> Candidates() => _workers.Where(w => !_draining.Contains(w.Key)).Select(w => new WorkerCandidate(
        w.Value.Name, w.Value.Pools, _active.GetValueOrDefault(w.Key), w.Key.ToString()));

    // Placement counts are kept as they change: counting placements per candidate made a burst quadratic.
    private void Track(RunId runId, Placement placement)
    {
        Untrack(runId);
        _placed[runId] = placement;
        _active[placement.Worker] = _active.GetValueOrDefault(placement.Worker) + 1;
    }

    private bool Untrack(RunId runId, out Placement placement)
    {
        if (!_placed.Remove(runId, out placement!))
            return false;
        _active[placement.Worker] = Math.Max(0, _active.GetValueOrDefault(placement.Worker) - 1);
        return true;
    }

    private void Untrack(RunId runId) => Untrack(runId, out _);

    private void Place(DispatchRun run)
    {
        var chosen = WorkerPlacement.Pick(Candidates(), run.Worker, run.NotWorker, run.StrictWorker, _turn++);
        if (chosen is null)
        {
            if (_waiting.All(w => w.RunId != run.RunId))
                _waiting.Add(run);
            _log.Info("Run {0} waits for a worker matching '{1}' ({2} workers up)", run.RunId, run.Worker ?? "any", _workers.Count);
            return;
        }
        var address = _workers.Keys.First(a => a.ToString() == chosen.Id);
        Track(run.RunId, new Placement(run, address, chosen.Name));
        WorkerAt(address).Tell(new StartRun(run));
        Timers.StartSingleTimer(("accept", run.RunId), new AcceptTimedOut(run.RunId), AcceptTimeout);
    }

    private void Cancel(CancelDispatchedRun cancel)
    {
        if (_waiting.RemoveAll(w => w.RunId == cancel.RunId) > 0)
            return;
        if (_placed.TryGetValue(cancel.RunId, out var placement))
            WorkerAt(placement.Worker).Tell(new StopRun(cancel.RunId));
        else
            foreach (var address in _workers.Where(w => w.Value.Name == cancel.Worker).Select(w => w.Key))
                WorkerAt(address).Tell(new StopRun(cancel.RunId));
    }

    private void Reconcile(ReconcileRun reconcile)
    {
        var run = reconcile.Run;
        var worker = _workers.FirstOrDefault(w => w.Value.Name == reconcile.Worker);
        if (worker.Key is null)
        {
            ReportLost(new Placement(run, Address.AllSystems, reconcile.Worker ?? "(unknown)"),
                $"worker {reconcile.Worker ?? "(unknown)"} is not in the cluster");
            return;
        }
        Track(run.RunId, new Placement(run, worker.Key, worker.Value.Name));
        WorkerAt(worker.Key).Tell(new ProbeRun(run.RunId));
        Timers.StartSingleTimer(("probe", run.RunId), new ProbeTimedOut(run.RunId), ProbeTimeout);
    }

    private void AddWorker(Member member)
    {
        if (!member.HasRole(WorkerRoles.Worker) || _workers.ContainsKey(member.Address))
            return;
        _workers[member.Address] = (WorkerRoles.NameOf(member.Roles) ?? member.Address.ToString(), WorkerRoles.PoolsOf(member.Roles));
        _log.Info("Worker {0} is up at {1}", _workers[member.Address].Name, member.Address);
        var waiting = _waiting.ToList();
        _waiting.Clear();
        waiting.ForEach(Place);
    }

    private void RemoveWorker(Address address, string why)
    {
        _draining.Remove(address);
        if (!_workers.Remove(address, out var worker))
            return;
        foreach (var placement in _placed.Values.Where(p => p.Worker == address).ToList())
        {
            Untrack(placement.Run.RunId);
            ReportLost(placement, $"worker {worker.Name} {why}");
        }
        _active.Remove(address);
    }

    /// <summary>Tells the job its run is lost, and the worker (if it is still there) to stop it.</summary>
    private void ReportLost(Placement placement, string why)
    {
        var run = placement.Run;
        _log.Warning("Run {0} is lost: {1}", run.RunId, why);
        if (_workers.ContainsKey(placement.Worker))
            WorkerAt(placement.Worker).Tell(new StopRun(run.RunId));
        _region.Tell(new JobEnvelope(run.JobId, new JobRequest(
            new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Lost, Error: why))));
    }

    private ActorSelection WorkerAt(Address address) => Context.ActorSelection(new RootActorPath(address) / "user" / "worker");
}
