using ActorScheduler.Core.Jobs;
using ActorScheduler.Core.Policies;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using ActorScheduler.Engine.Telemetry;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// Removal by retention: the job decides by its own state (<see cref="RetentionRules.MayRemove"/>). When it may go, it
/// journals <see cref="JobRemoved"/> — from then on it does not exist — and its older events, snapshots and rows are
/// deleted in one transaction of the journal's writer while every other message waits. That last event stays: a job
/// created again under the id goes on numbering runs and fencing tokens from there, so no worker can mistake its runs
/// for the old ones. Then it leaves memory.
/// </summary>
public sealed partial class JobEntity
{
    private sealed record Removal(WriteOutcome Outcome, IActorRef ReplyTo);

    /// <summary>When the snapshot this job recovered from was taken: its last change, if no event came after it.</summary>
    private DateTimeOffset? _snapshotAt;

    private void RemoveIfEnded(RemoveIfEnded request)
    {
        if (!_state.Exists && LastSequenceNr > 0)
        {
            DeleteRemoved(Sender); // removed before, but its rows may have outlived a failed delete
            return;
        }
        var endedAt = _state.ChangedAt ?? _snapshotAt ?? Now;
        if (!RetentionRules.MayRemove(_state, request.Policy, endedAt, Now))
        {
            Sender.Tell(new RetentionChecked(false));
            if (!_state.Exists)
                Context.Parent.Tell(new Passivate(StopJobEntity.Instance));
            return;
        }
        var (replyTo, status) = (Sender, _state.Status);
        var mark = new JobRemoved($"retention: {status.ToString().ToLowerInvariant()} since {endedAt:O}",
            _state.RunSequence, _state.FencingToken, _state.Generation, _state.Version, Now);
        Persist(mark, removed =>
        {
            _state = _state.Apply(removed);
            Timers.CancelAll();
            Context.GetLogger().Info("Retention: removed job {0} ({1}, last changed {2:O})", _state.Id, status, endedAt);
            EngineMetrics.RetentionRemoved("jobs", 1);
            DeleteRemoved(replyTo);
        });
    }

    /// <summary>Deletes everything of the job but its last event (the removal), and waits for that before anything else.</summary>
    private void DeleteRemoved(IActorRef replyTo)
    {
        EngineStore.Get(Context.System).Writer.Enqueue(new RemoveJob(_state.Id, LastSequenceNr))
            .PipeTo(Self, success: outcome => new Removal(outcome, replyTo), failure: error => new Removal(new WriteFailed(error), replyTo));
        Context.BecomeStacked(message =>
        {
            if (message is Removal removal)
                Deleted(removal);
            else
                Stash.Stash();
            return true;
        });
    }

    private void Deleted(Removal removal)
    {
        if (removal.Outcome is WriteFailed failed)
            Context.GetLogger().Warning(failed.Error, "Retention: deleting the rows of removed job {0} failed; tried again at the next pass", _state.Id);
        removal.ReplyTo.Tell(new RetentionChecked(removal.Outcome is RowsRemoved { Rows: > 0 }));
        Context.UnbecomeStacked();
        Stash.UnstashAll();
        Context.Parent.Tell(new Passivate(StopJobEntity.Instance));
    }
}
