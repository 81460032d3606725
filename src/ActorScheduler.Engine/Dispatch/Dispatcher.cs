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
/// <c>worker</c> role; a run waits here while no eligible worker is up. When a worker node leaves or is downed,
/// every run placed on it is reported lost to its job, whose retry policy decides what happens next.
/// </summary>
public sealed class Dispatcher : ReceiveActor, IWithTimers
{
    public sealed record UseJobRegion(IActorRef Region);

    private sealed record ProbeTimedOut(RunId RunId);

    private sealed record Placement(DispatchRun Run, Address Worker, string WorkerName);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, (string Name, IReadOnlySet<string> Pools)> _workers = new();
    private readonly Dictionary<RunId, Placement> _placed = new();
    private readonly List<DispatchRun> _waiting = new();
    private IActorRef _region = ActorRefs.Nobody;
    private int _turn;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new Dispatcher());

    public Dispatcher()
    {
        Receive<UseJobRegion>(use => _region = use.Region);
        Receive<DispatchRun>(Place);
        Receive<CancelDispatchedRun>(Cancel);
        Receive<ReconcileRun>(Reconcile);
        Receive<RunProbed>(probed =>
        {
            Timers.Cancel(probed.RunId);
            if (!probed.Running && _placed.Remove(probed.RunId, out var placement))
                ReportLost(placement.Run, $"worker {placement.WorkerName} no longer has the run");
        });
        Receive<ProbeTimedOut>(timeout =>
        {
            if (_placed.Remove(timeout.RunId, out var placement))
                ReportLost(placement.Run, $"worker {placement.WorkerName} did not answer about the run");
        });
        Receive<WorkerReleased>(released => _placed.Remove(released.RunId));
        Receive<MemberUp>(up => AddWorker(up.Member));
        Receive<MemberRemoved>(removed => RemoveWorker(removed.Member.Address, "left the cluster"));
        Receive<MemberDowned>(downed => RemoveWorker(downed.Member.Address, "was downed"));
        Receive<IClusterDomainEvent>(_ => { });
        Receive<JobReply>(_ => { });
    }

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, InitialStateAsEvents, typeof(IMemberEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Place(DispatchRun run)
    {
        var candidates = _workers.Select(w => new WorkerCandidate(w.Value.Name, w.Value.Pools,
            _placed.Values.Count(p => p.Worker == w.Key)));
        var chosen = WorkerPlacement.Pick(candidates, run.Worker, run.NotWorker, run.StrictWorker, _turn++);
        if (chosen is null)
        {
            if (_waiting.All(w => w.RunId != run.RunId))
                _waiting.Add(run);
            _log.Info("Run {0} waits for a worker matching '{1}' ({2} workers up)", run.RunId, run.Worker ?? "any", _workers.Count);
            return;
        }
        var address = _workers.First(w => w.Value.Name == chosen.Name).Key;
        _placed[run.RunId] = new Placement(run, address, chosen.Name);
        WorkerAt(address).Tell(new StartRun(run));
    }

    private void Cancel(CancelDispatchedRun cancel)
    {
        if (_waiting.RemoveAll(w => w.RunId == cancel.RunId) > 0)
            return;
        if (_placed.TryGetValue(cancel.RunId, out var placement))
            WorkerAt(placement.Worker).Tell(new StopRun(cancel.RunId));
        else if (cancel.Worker is { } name && _workers.FirstOrDefault(w => w.Value.Name == name) is { Key: { } address })
            WorkerAt(address).Tell(new StopRun(cancel.RunId));
    }

    private void Reconcile(ReconcileRun reconcile)
    {
        var run = reconcile.Run;
        if (reconcile.Status == RunStatus.Pending)
        {
            Place(run);
            return;
        }
        var worker = _workers.FirstOrDefault(w => w.Value.Name == reconcile.Worker);
        if (worker.Key is null)
        {
            ReportLost(run, $"worker {reconcile.Worker ?? "(unknown)"} is not in the cluster");
            return;
        }
        _placed[run.RunId] = new Placement(run, worker.Key, worker.Value.Name);
        WorkerAt(worker.Key).Tell(new ProbeRun(run.RunId));
        Timers.StartSingleTimer(run.RunId, new ProbeTimedOut(run.RunId), ProbeTimeout);
    }

    private void AddWorker(Member member)
    {
        if (!member.HasRole(WorkerRoles.Worker))
            return;
        _workers[member.Address] = (WorkerRoles.NameOf(member.Roles) ?? member.Address.ToString(), WorkerRoles.PoolsOf(member.Roles));
        _log.Info("Worker {0} is up at {1}", _workers[member.Address].Name, member.Address);
        var waiting = _waiting.ToList();
        _waiting.Clear();
        waiting.ForEach(Place);
    }

    private void RemoveWorker(Address address, string why)
    {
        if (!_workers.Remove(address, out var worker))
            return;
        foreach (var placement in _placed.Values.Where(p => p.Worker == address).ToList())
        {
            _placed.Remove(placement.Run.RunId);
            ReportLost(placement.Run, $"worker {worker.Name} {why}");
        }
    }

    private void ReportLost(DispatchRun run, string why)
    {
        _log.Warning("Run {0} is lost: {1}", run.RunId, why);
        _region.Tell(new JobEnvelope(run.JobId, new JobRequest(
            new ReportRunFinished(run.RunId, run.FencingToken, RunStatus.Lost, Error: why))));
    }

    private ActorSelection WorkerAt(Address address) => Context.ActorSelection(new RootActorPath(address) / "user" / "worker");
}
