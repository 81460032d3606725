using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Telemetry;
using ActorScheduler.Engine.Protocol;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// A job as a sharded persistent actor: a thin shell over <see cref="JobDecider"/> and <see cref="JobState"/>.
/// Decide, persist all events, apply, reply; then carry out <see cref="JobEffects"/> (index row, wake-up timer, runs
/// to dispatch or cancel, outcomes for triggers). Persistence id <c>job-{id}</c> (<see cref="JobPersistenceId"/>).
/// When it stays in memory, wakes itself and picks up its runs after a recovery: JobEntity.Residency.cs.
/// </summary>
public sealed partial class JobEntity : PersistentActor, IWithTimers
{
    // Its own follow-ups, through the mailbox: a command no one waits for (a wake-up, a deferred start, a
    // re-dispatch after recovery), decided at At when given; the idle check; the check of runs after recovery.
    private sealed record OwnCommand(JobCommand Command, DateTimeOffset? At = null);
    private sealed record IdleCheck;
    private sealed record ReconcileRuns;

    private readonly JobEntityContext _node;
    private readonly JobTraces _traces = new();
    private JobState _state;

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId { get; }

    public static Props Props(JobId jobId, JobEntityContext node) => Akka.Actor.Props.Create(() => new JobEntity(jobId, node));

    public JobEntity(JobId jobId, JobEntityContext node)
    {
        _node = node;
        _state = JobState.Empty(jobId);
        PersistenceId = JobPersistenceId.Of(jobId);
    }

    // A switch, not ReceivePersistentActor's handler tables: those are built again for every job that starts, and a
    // burst starts thousands (about 5 KB and a compiled dispatch each).
    protected override bool ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                _snapshotAt = new DateTimeOffset(DateTime.SpecifyKind(offer.Metadata.Timestamp, DateTimeKind.Utc));
                Replay(offer.Snapshot);
                return true;
            case JobEvent or UnreadableRecord:
                Replay(message);
                return true;
            case RecoveryCompleted:
                OnRecovered();
                return true;
            default:
                return false;
        }
    }

    protected override bool ReceiveCommand(object message)
    {
        switch (message)
        {
            case JobRequest request:
                if (request.Command is ReportRunStarted started)
                    AcknowledgeStart(started);
                else
                    Handle(request.Command, Sender, traceParent: request.TraceParent);
                RestartIdleTimer();
                return true;
            case OwnCommand own:
                Handle(own.Command, ActorRefs.Nobody, own.At);
                return true;
            case RemoveIfEnded remove:
                RemoveIfEnded(remove);
                return true;
            case JobMessage query:
                Reply(Sender, JobQueries.Answer(_state, query, Now));
                // Asking about a job that does not exist must not leave an empty entity in memory for every id asked.
                if (!_state.Exists)
                    Context.Parent.Tell(new Passivate(StopJobEntity.Instance));
                return true;
            case IdleCheck:
                PassivateIfIdle();
                return true;
            case ReconcileRuns:
                Reconcile();
                return true;
            case StopJobEntity:
                Context.Stop(Self);
                return true;
            case SaveSnapshotSuccess saved:
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                return true;
            case DeleteSnapshotsSuccess:
                return true;
            case SaveSnapshotFailure failed:
                Context.GetLogger().Warning(failed.Cause, "Snapshot of {0} failed", PersistenceId);
                return true;
            case DeleteSnapshotsFailure failed:
                Context.GetLogger().Warning(failed.Cause, "Deleting old snapshots of {0} failed", PersistenceId);
                return true;
            default:
                return false;
        }
    }

    private DateTimeOffset Now => _node.Clock.GetUtcNow();

    /// <summary>Answers a start at once (a stale one is refused now) and journals it only if the run lasts.</summary>
    private void AcknowledgeStart(ReportRunStarted started)
    {
        var now = Now;
        var decision = JobDecider.Decide(_state, started, now, _node.Settings.Limits);
        Sender.Tell(decision is Rejected rejected ? new JobRefused(rejected.Kind, rejected.Message) : new JobAccepted(JobView.From(_state)));
        if (decision is Accepted { Events.Count: > 0 })
            Timers.StartSingleTimer(("start", started.RunId), new OwnCommand(started, now), _node.Settings.StartJournalDelay);
    }

    private void Handle(JobCommand command, IActorRef replyTo, DateTimeOffset? at = null, string? traceParent = null)
    {
        var began = JobTraces.Began();
        switch (JobDecider.Decide(_state, command, at ?? Now, _node.Settings.Limits))
        {
            case Rejected rejected:
                Reply(replyTo, new JobRefused(rejected.Kind, rejected.Message));
                break;
            case Accepted { Events.Count: 0 }:
                Reply(replyTo, _state.Exists ? new JobAccepted(JobView.From(_state)) : JobQueries.NotFound(_state));
                break;
            case Accepted accepted:
                var (before, remaining) = (_state, accepted.Events.Count);
                PersistAll(accepted.Events, e =>
                {
                    // The decider folded the events as it decided: that state is taken once all are stored.
                    if (accepted.After is null)
                        _state = _state.Apply(e);
                    if (--remaining > 0)
                        return;
                    _state = accepted.After ?? _state;
                    var effects = _traces.Stored(JobEffects.After(before, _state, accepted.Events, Now, _node.ShardCount),
                        _state, accepted.Events, command, traceParent, began);
                    EngineMetrics.Journaled(_state, accepted.Events); // counted before anyone hears of the change
                    // Most decisions (wake-ups, run reports) have nobody to answer: their view is not built.
                    if (!replyTo.IsNobody())
                        replyTo.Tell(new JobAccepted(JobView.From(_state), effects.NewRun, effects.Created, BackfillQueued.Of(accepted.Events),
                            accepted.Events.Any(e => e is EditScheduled)));
                    Carry(effects);
                    if (LastSequenceNr % _node.Settings.SnapshotEvery < accepted.Events.Count)
                        SaveSnapshot(_state);
                });
                break;
        }
    }

    /// <summary>Requests told without a sender (the trigger router's, the dispatcher's, its own) get no answer.</summary>
    private static void Reply(IActorRef replyTo, JobReply reply)
    {
        if (!replyTo.IsNobody())
            replyTo.Tell(reply);
    }

    /// <summary>The side effects of stored events: only ever after they are stored.</summary>
    private void Carry(JobEffects effects)
    {
        _node.IndexWriter.Tell(effects.IndexRow);
        ArmWakeUp(effects.WakeAt);
        foreach (var run in effects.Dispatch)
            _node.Dispatcher.Tell(run);
        foreach (var cancel in effects.Cancel)
            _node.Dispatcher.Tell(cancel);
        foreach (var completed in effects.Completed)
            _node.TriggerRouter.Tell(completed);
    }
}
