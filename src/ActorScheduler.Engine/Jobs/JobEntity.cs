using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Triggers;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// A job as a sharded persistent actor: a thin shell over <see cref="JobDecider"/> and <see cref="JobState"/>.
/// Decide, persist all events, apply, reply; then tell the node what changed (index row, wake-up timer, runs to
/// dispatch or cancel, outcomes for triggers). Persistence id <c>job-{id}</c>.
/// </summary>
public sealed class JobEntity : ReceivePersistentActor, IWithTimers
{
    private sealed record WakeTick(long Generation);

    private sealed record IdleCheck;

    private sealed record ReconcileRuns;

    private sealed record JournalStart(ReportRunStarted Report, DateTimeOffset At);

    /// <summary>
    /// A start is journaled only if the run is still going this long after it: a short run's finish carries its
    /// start, saving one write per run. A crash inside the window leaves the run "pending", and a pending run is
    /// sent again under a new fencing token on recovery, so nothing is lost; a late duplicate is fenced.
    /// </summary>
    public static readonly TimeSpan StartJournalDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Passivation and shard hand-off stop the entity with this, not a PoisonPill: Akka handles a PoisonPill even
    /// while a persist is pending, which would drop the reply and the side effects of stored events.
    /// </summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    private readonly JobEntityContext _node;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private JobState _state;

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId { get; }

    public static Props Props(string jobId, JobEntityContext node) => Akka.Actor.Props.Create(() => new JobEntity(jobId, node));

    public JobEntity(string jobId, JobEntityContext node)
    {
        _node = node;
        _state = JobState.Empty(JobId.Parse(jobId));
        PersistenceId = $"job-{jobId}";

        Recover<SnapshotOffer>(offer => _state = (JobState)offer.Snapshot);
        Recover<JobEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<JobRequest>(request =>
        {
            if (request.Command is ReportRunStarted started)
                AcknowledgeStart(started);
            else
                Handle(request.Command, Sender);
            Timers.StartSingleTimer("idle", new IdleCheck(), _node.Settings.IdleTimeout);
        });
        Command<JournalStart>(start => Handle(start.Report, ActorRefs.Nobody, start.At));
        Command<WakeTick>(tick => Handle(new WakeUp(tick.Generation), ActorRefs.Nobody));
        Command<GetJob>(_ => Answer(_state.Exists ? JobReply.Of(JobView.From(_state)) : NotFound()));
        Command<GetRuns>(_ => Answer(_state.Exists ? JobReply.OfRuns(AllRuns()) : NotFound()));
        Command<GetRun>(get => Answer(_state.FindRun(get.RunId) is { } run
            ? JobReply.OfRuns([RunView.From(_state.Id, run)])
            : JobReply.Refused(RejectionKind.NotFound, $"Run '{get.RunId}' does not exist.")));
        Command<IdleCheck>(_ => PassivateIfIdle());
        Command<ReconcileRuns>(_ => Reconcile());
        Command<Stop>(_ => Context.Stop(Self));
        Command<JobReply>(_ => { }); // answers to its own reconciliation requests
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    // Asking about a job that does not exist must not leave an empty entity in memory for every id asked.
    private void Answer(JobReply reply)
    {
        Sender.Tell(reply);
        if (!_state.Exists)
            Context.Parent.Tell(new Passivate(Stop.Instance));
    }

    private JobReply NotFound() => JobReply.Refused(RejectionKind.NotFound, $"Job '{_state.Id}' does not exist.");

    private IReadOnlyList<RunView> AllRuns() =>
        _state.InFlight.Reverse().Concat(_state.Recent).Select(run => RunView.From(_state.Id, run)).ToList();

    /// <summary>Answers a start at once (a stale one is refused now) and journals it only if the run lasts.</summary>
    private void AcknowledgeStart(ReportRunStarted started)
    {
        var now = _node.Clock.GetUtcNow();
        switch (JobDecider.Decide(_state, started, now))
        {
            case Rejected rejected:
                Sender.Tell(JobReply.Refused(rejected.Kind, rejected.Message));
                break;
            case Accepted { Events.Count: > 0 }:
                Sender.Tell(JobReply.Of(JobView.From(_state)));
                Timers.StartSingleTimer(("start", started.RunId), new JournalStart(started, now), StartJournalDelay);
                break;
            default:
                Sender.Tell(JobReply.Of(JobView.From(_state)));
                break;
        }
    }

    private void Handle(JobCommand command, IActorRef replyTo, DateTimeOffset? at = null)
    {
        var before = _state;
        switch (JobDecider.Decide(_state, command, at ?? _node.Clock.GetUtcNow()))
        {
            case Rejected rejected:
                replyTo.Tell(JobReply.Refused(rejected.Kind, rejected.Message));
                break;
            case Accepted { Events.Count: 0 }:
                replyTo.Tell(_state.Exists ? JobReply.Of(JobView.From(_state)) : NotFound());
                break;
            case Accepted accepted:
                var remaining = accepted.Events.Count;
                PersistAll(accepted.Events, e =>
                {
                    _state = _state.Apply(e);
                    if (--remaining > 0)
                        return;
                    replyTo.Tell(JobReply.Of(JobView.From(_state), NewRunId(accepted.Events)) with
                    {
                        Created = accepted.Events.Any(e => e is JobDefined { Created: true }),
                    });
                    AfterChange(before, accepted.Events);
                });
                break;
        }
    }

    private static RunId? NewRunId(IReadOnlyList<JobEvent> events) =>
        events.Select(e => e switch { RunDispatched d when d.RetryOf is null => d.RunId, RunBuffered b => b.RunId, _ => (RunId?)null })
            .FirstOrDefault(id => id is not null);

    /// <summary>The side effects of stored events: only ever after they are stored.</summary>
    private void AfterChange(JobState before, IReadOnlyList<JobEvent> events)
    {
        WriteIndexRow(triggersChanged: events.Any(e => e is JobDefined or JobCanceled));
        ArmWakeUp();
        foreach (var e in events)
        {
            switch (e)
            {
                case RunDispatched dispatched:
                    _node.Dispatcher.Tell(DispatchRequests.For(_state, dispatched.RunId));
                    break;
                case RunRedispatched redispatched when _state.InFlight.Exists(r => r.RunId == redispatched.RunId):
                    _node.Dispatcher.Tell(DispatchRequests.For(_state, redispatched.RunId));
                    break;
                case RunCancelRequested cancel when _state.InFlight.Find(r => r.RunId == cancel.RunId) is { } run:
                    _node.Dispatcher.Tell(new CancelDispatchedRun(run.RunId, run.Worker));
                    break;
                case RunFinished finished when before.InFlight.Find(r => r.RunId == finished.RunId) is { } run:
                    if (finished.RetryAt is null)
                        _node.TriggerRouter.Tell(new RunCompleted(_state.Id.Value, run.RunId, finished.Outcome, finished.Output));
                    break;
            }
        }
        if (LastSequenceNr % _node.Settings.SnapshotEvery < events.Count)
            SaveSnapshot(_state);
    }

    private void OnRecovered()
    {
        if (!_state.Exists)
            return;
        WriteIndexRow(triggersChanged: true);
        ArmWakeUp();
        if (!_state.InFlight.IsEmpty)
            Self.Tell(new ReconcileRuns());
    }

    /// <summary>
    /// Runs that were in flight when this job last lived: a pending one is sent again under a new fencing token
    /// (it may have reached a worker before the crash); a running one is checked with its worker, and reported
    /// lost if the worker no longer has it.
    /// </summary>
    private void Reconcile()
    {
        foreach (var run in _state.InFlight)
        {
            // One command each, through the mailbox: each decision must see the fencing token the previous one stored.
            if (run.Status == RunStatus.Pending)
                Self.Tell(new JobRequest(new RedispatchRun(run.RunId)));
            else
                _node.Dispatcher.Tell(new ReconcileRun(DispatchRequests.For(_state, run.RunId), run.Status, run.Worker));
        }
    }

    private void WriteIndexRow(bool triggersChanged) =>
        _node.IndexWriter.Tell(JobIndexRows.For(_state, _node.ShardCount, _node.Clock.GetUtcNow(), triggersChanged));

    private void ArmWakeUp()
    {
        Timers.Cancel("wake");
        if (_state.NextWakeAt is not { } at)
            return;
        var delay = at - _node.Clock.GetUtcNow();
        if (delay < _node.Settings.KeepAliveHorizon)
            Timers.StartSingleTimer("wake", new WakeTick(_state.Generation), delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }

    protected override void PreStart()
    {
        Timers.StartSingleTimer("idle", new IdleCheck(), _node.Settings.IdleTimeout);
        base.PreStart();
    }

    // Stay in memory while a run is in flight (its worker reports here) or a wake-up is near (own timer);
    // otherwise the time index wakes this job when it is next due.
    private void PassivateIfIdle()
    {
        var wakeIsNear = _state.NextWakeAt is { } at && at - _node.Clock.GetUtcNow() < _node.Settings.KeepAliveHorizon;
        if (_state.InFlight.IsEmpty && !wakeIsNear)
        {
            Context.Parent.Tell(new Passivate(Stop.Instance));
            return;
        }
        // Staying: a wake-up that was beyond the horizon when last armed may be within it now.
        ArmWakeUp();
        Timers.StartSingleTimer("idle", new IdleCheck(), _node.Settings.IdleTimeout);
    }
}
