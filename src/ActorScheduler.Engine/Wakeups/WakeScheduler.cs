using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Storage;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorScheduler.Engine.Wakeups;

/// <summary>
/// Wakes jobs that are not in memory when they come due, a shell over <see cref="WakeQueue"/>: it reads the time
/// index a little ahead (<see cref="WakeSettings.Lookahead"/>) every poll interval, and at each row's time sends
/// <see cref="WakeUp"/> with the row's generation through the shard region, which recovers the job. At most
/// <see cref="WakeSettings.MaxInFlight"/> wake-ups are outstanding, so a backlog after an outage recovers jobs at
/// the pace the journal allows instead of all at once.
/// </summary>
public sealed class WakeScheduler : ReceiveActor, IWithTimers
{
    private sealed record Poll;

    private sealed record Loaded(IReadOnlyList<DueWake> Rows);

    private sealed record Tick;

    private sealed record Delivered;

    private sealed record Rewake;

    private readonly IndexTables _index;
    private readonly IActorRef _jobs;
    private readonly TimeProvider _clock;
    private readonly WakeSettings _settings;
    private readonly WakeQueue _queue;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _polling;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="jobs">The job shard region.</param>
    public static Props Props(IndexTables index, IActorRef jobs, TimeProvider clock, WakeSettings settings) =>
        Akka.Actor.Props.Create(() => new WakeScheduler(index, jobs, clock, settings));

    public WakeScheduler(IndexTables index, IActorRef jobs, TimeProvider clock, WakeSettings settings)
    {
        (_index, _jobs, _clock, _settings, _queue) = (index, jobs, clock, settings, new WakeQueue(settings));
        Receive<Poll>(_ => StartPoll());
        Receive<Loaded>(loaded =>
        {
            _polling = false;
            var now = _clock.GetUtcNow();
            foreach (var row in loaded.Rows)
                _queue.Enqueue(row, now);
            SendDue();
        });
        Receive<Status.Failure>(failure =>
        {
            _polling = false;
            if (StorageFailures.Unavailability(failure.Cause) is { } cause)
                _log.Warning("Reading the time index failed, the database is unavailable ({0}); retrying at the next poll", StorageFailures.Describe(cause));
            else
                _log.Error(failure.Cause, "Reading the time index failed; retrying at the next poll");
        });
        Receive<Tick>(_ => SendDue());
        Receive<ExpectWake>(expect =>
        {
            _queue.Enqueue(expect.Row, _clock.GetUtcNow());
            SendDue();
        });
        Receive<Delivered>(_ =>
        {
            _queue.Delivered();
            SendDue();
        });
        // A scheduler node is gone for good (downed or left): its due jobs are woken again at once, not after the
        // resend interval. The wake-ups wait in the shard region until the coordinator starts the dead node's shards
        // on a survivor (akka.cluster.down-removal-margin after the removal), then recover the jobs, which fire or
        // catch up. Not at once: the region learns of the removal through its own watch a moment later, and a
        // wake-up sent before that still goes to the dead node. Twice, in case the first was too early.
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (!removed.Member.HasRole(NodeRoles.Scheduler))
                return;
            _log.Info("Scheduler node {0} is gone; waking its due jobs again", removed.Member.Address);
            Timers.StartSingleTimer("rewake-1", new Rewake(), _settings.RewakeDelay);
            Timers.StartSingleTimer("rewake-2", new Rewake(), _settings.RewakeDelay * 4);
        });
        Receive<Rewake>(_ =>
        {
            _queue.ForgetSends();
            StartPoll();
        });
        // The database is back after an outage: the wake-ups sent meanwhile found jobs that could not recover (they
        // stopped without answering), so what was sent is forgotten and the index read at once.
        Receive<StorageReturned>(returned =>
        {
            _log.Info("Database back after {0:0.0} s: waking the jobs that came due meanwhile", returned.Outage.TotalSeconds);
            _queue.ForgetSends();
            StartPoll();
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("poll", new Poll(), TimeSpan.Zero, _settings.PollInterval);
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        Context.System.EventStream.Subscribe(Self, typeof(StorageReturned));
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void StartPoll()
    {
        if (_polling)
            return;
        _polling = true;
        var horizon = _clock.GetUtcNow() + _settings.Lookahead;
        Task.Run(() => new Loaded(_index.DueBy(horizon, _settings.MaxLoaded))).PipeTo(Self);
    }

    private void SendDue()
    {
        var now = _clock.GetUtcNow();
        foreach (var send in _queue.TakeDue(now))
        {
            JobMessage message = send is SendWake wake ? new JobRequest(new WakeUp(wake.Generation)) : GetJob.Instance;
            _jobs.Ask<JobReply>(new JobEnvelope(send.JobId, message), _settings.DeliveryTimeout)
                .ContinueWith(static _ => new Delivered(), TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(Self);
        }
        Timers.Cancel("tick");
        if (_queue.NextDueAt is { } next)
            Timers.StartSingleTimer("tick", new Tick(), next > now ? next - now : TimeSpan.Zero);
    }
}
