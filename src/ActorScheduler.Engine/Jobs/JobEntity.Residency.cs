using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Wakeups;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorScheduler.Engine.Jobs;

/// <summary>
/// The job's residency: it recovers and picks up the runs it had in flight, keeps itself in memory while a run is
/// in flight or a wake-up is near (firing on its own timer), and otherwise leaves memory to be woken from the time
/// index when it is next due.
/// </summary>
public sealed partial class JobEntity
{
    private PreciseTimerHandle? _preciseWake;

    private void OnRecovered()
    {
        if (_unreadable is { } unreadable)
        {
            BecomeUnreadable(unreadable);
            return;
        }
        if (!_state.Exists)
            return;
        Carry(JobEffects.Recovered(_state, Now, _node.ShardCount));
        // After the messages stashed during recovery (a run's outcome among them): they may finish runs first.
        if (!_state.InFlight.IsEmpty)
            Self.Tell(new ReconcileRuns());
    }

    /// <summary>Runs in flight when this job last lived (see <see cref="JobEffects.InFlightAfterRecovery"/>).</summary>
    private void Reconcile()
    {
        var (redispatch, check, cancel) = JobEffects.InFlightAfterRecovery(_state);
        // One command each, through the mailbox: each decision must see the fencing token the previous one stored.
        foreach (var runId in redispatch)
            Self.Tell(new OwnCommand(new RedispatchRun(runId)));
        foreach (var reconcile in check)
            _node.Dispatcher.Tell(reconcile);
        foreach (var stop in cancel)
            _node.Dispatcher.Tell(stop);
    }

    /// <summary>
    /// Arms the job's own wake-up on the node's <see cref="PreciseTimer"/> (Akka's timers tick every 10 ms), or on
    /// Akka's timers when that is off or full. A wake-up already sent when it is re-armed still arrives: the decider
    /// ignores a stale generation, and one before the next due instant finds nothing to do.
    /// </summary>
    private void ArmWakeUp(DateTimeOffset? at)
    {
        Timers.Cancel("wake");
        _preciseWake?.Cancel();
        _preciseWake = null;
        if (at is not { } wakeAt || _node.Settings.OwnTimer(wakeAt, Now) is not { } delay)
            return;
        var wakeUp = new OwnCommand(new WakeUp(_state.Generation));
        _preciseWake = PreciseTimer.Get(Context.System).TryArm(wakeAt, Self, wakeUp);
        if (_preciseWake is null)
            Timers.StartSingleTimer("wake", wakeUp, delay);
    }

    protected override void PostStop()
    {
        _preciseWake?.Cancel();
        base.PostStop();
    }

    private void RestartIdleTimer() => Timers.StartSingleTimer("idle", new IdleCheck(), _node.Settings.IdleTimeout);

    protected override void PreStart()
    {
        RestartIdleTimer();
        base.PreStart();
    }

    private void PassivateIfIdle()
    {
        if (_node.Settings.MayPassivate(_state, Now))
        {
            Context.Parent.Tell(new Passivate(StopJobEntity.Instance));
            return;
        }
        // Staying: a wake-up that was beyond the horizon when last armed may be within it now.
        ArmWakeUp(_state.NextWakeAt);
        RestartIdleTimer();
    }
}
