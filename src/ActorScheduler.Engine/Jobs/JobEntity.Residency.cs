using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
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

    private void ArmWakeUp(DateTimeOffset? at)
    {
        Timers.Cancel("wake");
        if (_node.Settings.OwnTimer(at, Now) is { } delay)
            Timers.StartSingleTimer("wake", new OwnCommand(new WakeUp(_state.Generation)), delay);
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
