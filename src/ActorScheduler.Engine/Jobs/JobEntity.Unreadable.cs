using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Persistence;
using ActorScheduler.Engine.Protocol;
using Akka.Event;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// A job whose journal does not replay: a row that does not decode, or events its state cannot apply. It recovers
/// anyway, logs what is wrong once, and answers every request with a refusal naming the job and the entry, at once:
/// its callers do not wait for a time-out, and other jobs are unaffected. It writes nothing (no index row, no event),
/// arms no timer, and stays in memory, so the wake-ups its index row still asks for meet it here instead of
/// recovering it again.
/// </summary>
public sealed partial class JobEntity
{
    private UnreadableRecord? _unreadable;

    private void Replay(object replayed)
    {
        if (_unreadable is not null)
            return;
        switch (replayed)
        {
            case UnreadableRecord unreadable:
                _unreadable = unreadable;
                break;
            case JobState snapshot:
                _state = snapshot;
                break;
            case JobEvent e:
                try
                {
                    _state = _state.Apply(e);
                }
                catch (Exception error)
                {
                    _unreadable = new UnreadableRecord(PersistenceId, LastSequenceNr, e.GetType().Name, $"{error.GetType().Name}: {error.Message}");
                }
                break;
        }
    }

    private void BecomeUnreadable(UnreadableRecord record)
    {
        var refusal = new JobRefused(RejectionKind.Unreadable,
            $"Job '{_state.Id}' cannot be read: its journal entry {record.SequenceNr} ({record.Manifest ?? "no manifest"}) does not replay " +
            $"({record.Reason}). It refuses every request until its journal is repaired; other jobs are unaffected.");
        Context.GetLogger().Error("{0}", refusal.Message);
        Timers.CancelAll();
        Context.Become(message =>
        {
            if (message is JobMessage)
                Reply(Sender, refusal);
            else if (message is StopJobEntity)
                Context.Stop(Self);
            return true;
        });
    }
}
