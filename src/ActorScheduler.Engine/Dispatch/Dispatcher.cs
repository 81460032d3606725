using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using static Akka.Cluster.ClusterEvent;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// Places runs on worker nodes (one dispatcher per scheduler node): a shell over <see cref="Placements"/>, which
/// decides; this actor follows cluster membership, sends, and keeps the accept and probe timers. Workers are the
/// members with the <c>worker</c> role; a run waits while no eligible worker is up, and is placed again if its
/// worker does not accept it in time. When a worker leaves or is downed, every run placed on it is reported lost
/// to its job, whose retry policy decides what happens next.
/// </summary>
public sealed class Dispatcher : ReceiveActor, IWithTimers, IWithStash
{
    private sealed record AcceptTimedOut(RunId RunId);

    private sealed record ProbeTimedOut(RunId RunId);

    private sealed record RetryFull;

    private sealed record PingKeeper;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Placements _placements;
    private readonly IActorRef _jobs;
    private readonly PermitLine _permits;
    private readonly DispatchSettings _settings;

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    public static Props Props(IActorRef jobs, IActorRef permits, DispatchSettings settings) => Akka.Actor.Props.Create(() => new Dispatcher(jobs, permits, settings));

    /// <param name="jobs">The job shard region: lost runs are reported to their jobs through it.</param>
    /// <param name="permits">The permit keeper (the proxy of the singleton): runs of a concurrency key need its permit.</param>
    public Dispatcher(IActorRef jobs, IActorRef permits, DispatchSettings settings)
    {
        (_jobs, _permits, _settings, _placements) = (jobs, new PermitLine(permits, Cluster.Get(Context.System).SelfAddress.ToString()), settings, new Placements(settings.MaxCatchUpInFlight));
        // Until the cluster's current state has arrived, "no such worker" means "not heard of yet", so
        // reconciliation waits; new runs simply wait for a worker like any other.
        Receive<CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up))
                Carry(_placements.WorkerUp(member.Address, member.Roles));
            foreach (var member in state.Unreachable)
                _placements.WorkerReachable(member.Address, reachable: false);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<ReconcileRun>(_ => Stash.Stash());
        Common();
    }

    private void Ready()
    {
        Receive<ReconcileRun>(reconcile => Carry(_placements.Reconcile(reconcile)));
        Common();
    }

    private void Common()
    {
        Receive<DispatchRun>(run => Carry(_placements.Place(run)));
        Receive<CancelDispatchedRun>(cancel => Carry(_placements.Cancel(cancel)));
        Receive<RunAccepted>(accepted => Timers.Cancel(("accept", accepted.RunId)));
        Receive<AcceptTimedOut>(timeout => Carry(_placements.AcceptTimedOut(timeout.RunId)));
        Receive<RunProbed>(probed =>
        {
            Timers.Cancel(("probe", probed.RunId));
            Carry(_placements.Probed(probed.RunId, probed.Answer));
        });
        Receive<ProbeTimedOut>(timeout => Carry(_placements.ProbeTimedOut(timeout.RunId)));
        Receive<WorkerReleased>(released => Carry(_placements.Released(released.RunId)));
        Receive<RunRefused>(refused =>
        {
            Timers.Cancel(("accept", refused.RunId));
            Carry(_placements.Refused(refused.RunId, refused.Reason, refused.Full));
            // A full worker's slots free up as other dispatchers' runs end, which this one does not hear of.
            if (refused.Full && !Timers.IsTimerActive("retry-full"))
                Timers.StartSingleTimer("retry-full", new RetryFull(), _settings.RetryFullAfter);
        });
        Receive<RetryFull>(_ => Carry(_placements.RetryFull()));
        Receive<PermitGranted>(granted => Carry(_placements.PermitGranted(granted.RunId, confirm: !_permits.IsCurrent(granted.Keeper))));
        Receive<PermitRefused>(refused => _placements.PermitRefused(refused.RunId));
        Receive<PingKeeper>(_ =>
        {
            _permits.AskWhoAnswers();
            Carry(_placements.AskAgainForRefused());
        });
        Receive<PermitKeeperIs>(keeper => Carry(_permits.IsNew(keeper) ? _placements.PermitClaims() : []));
        Receive<MemberUp>(up => Carry(_placements.WorkerUp(up.Member.Address, up.Member.Roles)));
        Receive<MemberRemoved>(removed => Carry(_placements.WorkerGone(removed.Member.Address, "left the cluster")));
        Receive<MemberDowned>(downed => Carry(_placements.WorkerGone(downed.Member.Address, "was downed")));
        Receive<UnreachableMember>(unreachable => _placements.WorkerReachable(unreachable.Member.Address, reachable: false));
        Receive<ReachableMember>(reachable => Carry(_placements.WorkerReachable(reachable.Member.Address, reachable: true)));
        Receive<IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Cluster.Get(Context.System).Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent), typeof(IReachabilityEvent));
        Timers.StartPeriodicTimer("permit-keeper", new PingKeeper(), TimeSpan.Zero, _settings.PermitKeeperPing);
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    private void Carry(IReadOnlyList<DispatchAction> actions)
    {
        foreach (var action in actions.Where(action => !_permits.Carry(action)))
        {
            switch (action)
            {
                case SendStart start:
                    WorkerAt(start.Worker).Tell(new StartRun(start.Run));
                    Timers.StartSingleTimer(("accept", start.Run.RunId), new AcceptTimedOut(start.Run.RunId), _settings.AcceptTimeout);
                    break;
                case SendProbe probe:
                    WorkerAt(probe.Worker).Tell(new ProbeRun(probe.RunId));
                    Timers.StartSingleTimer(("probe", probe.RunId), new ProbeTimedOut(probe.RunId), _settings.ProbeTimeout);
                    break;
                case SendStop stop:
                    WorkerAt(stop.Worker).Tell(new StopRun(stop.RunId));
                    break;
                case ReportLost lost:
                    _log.Warning("Run {0} is lost: {1}", lost.Run.RunId, lost.Why);
                    // No sender: the job's answer is of no use here.
                    _jobs.Tell(new JobEnvelope(lost.Run.JobId, new JobRequest(
                        new ReportRunFinished(lost.Run.RunId, lost.Run.FencingToken, RunStatus.Lost, Error: lost.Why), lost.Run.TraceParent)), ActorRefs.NoSender);
                    break;
                case ReportCanceled canceled:
                    _log.Info("Run {0} ended before it started: {1}", canceled.RunId, canceled.Why);
                    _jobs.Tell(new JobEnvelope(canceled.RunId.Job, new JobRequest(
                        new ReportRunFinished(canceled.RunId, canceled.FencingToken, RunStatus.Canceled, Error: canceled.Why))), ActorRefs.NoSender);
                    break;
                case Notice { Warning: true } notice:
                    _log.Warning(notice.Text);
                    break;
                case Notice notice:
                    _log.Info(notice.Text);
                    break;
            }
        }
    }

    private ActorSelection WorkerAt(Address address) => Context.ActorSelection(new RootActorPath(address) / "user" / WorkerActor.Name);
}
