using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Index;
using ActorScheduler.Engine.Jobs;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorScheduler.Engine.Wakeups;

/// <summary>
/// Wakes jobs that are not in memory when they come due. It reads the time index a little ahead
/// (<see cref="WakeSettings.Lookahead"/>), keeps only those rows, and at each row's time sends
/// <see cref="WakeUp"/> with the row's generation through the shard region, which recovers the job.
/// Delivery is at-least-once (a job ignores stale generations); at most
/// <see cref="WakeSettings.MaxInFlight"/> wake-ups are outstanding, so a backlog after an outage recovers jobs
/// at the pace the journal allows instead of all at once.
/// Jobs coming due are also recovered ahead of time with the budget left over (pre-warming): a recovered job
/// keeps itself in memory and fires on its own timer, so a burst of jobs due at one instant is not throttled by
/// recovery at that instant.
/// </summary>
public sealed class WakeScheduler : ReceiveActor, IWithTimers
{
    private sealed record Poll;

    /// <summary>A wake-up written just now that is due before the next read of the index would find it.</summary>
    public sealed record Expect(DueWake Row);

    private sealed record Loaded(IReadOnlyList<DueWake> Rows);

    private sealed record Tick;

    private sealed record Delivered(string JobId);

    private sealed record Rewake;

    private static readonly TimeSpan RewakeDelay = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan WarmAhead = TimeSpan.FromSeconds(1);

    // A warmed job fires on its own timer; the index's wake-up follows a little later only as a backstop (it
    // is then stale and ignored), so it does not compete with the firing at the due instant.
    private static readonly TimeSpan WarmedBackstop = TimeSpan.FromSeconds(2);

    private readonly JobIndexStore _store;
    private readonly IActorRef _region;
    private readonly TimeProvider _clock;
    private readonly WakeSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedSet<(DateTimeOffset At, string JobId)> _queue = new();
    private readonly Dictionary<string, DueWake> _byJob = new();
    private readonly Dictionary<string, (long Generation, DateTimeOffset SentAt)> _sent = new();
    private readonly Queue<DueWake> _toWarm = new();
    private readonly HashSet<(string JobId, long Generation)> _warmed = new();
    private int _inFlight;
    private bool _polling;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobIndexStore store, IActorRef region, TimeProvider clock, WakeSettings settings) =>
        Akka.Actor.Props.Create(() => new WakeScheduler(store, region, clock, settings));

    public WakeScheduler(JobIndexStore store, IActorRef region, TimeProvider clock, WakeSettings settings)
    {
        (_store, _region, _clock, _settings) = (store, region, clock, settings);
        Receive<Poll>(_ => StartPoll());
        Receive<Loaded>(loaded =>
        {
            _polling = false;
            foreach (var row in loaded.Rows)
                Enqueue(row);
            SendDue();
        });
        Receive<Status.Failure>(failure =>
        {
            _polling = false;
            _log.Error(failure.Cause, "Reading the time index failed; retrying at the next poll");
        });
        Receive<Tick>(_ => SendDue());
        Receive<Expect>(expect =>
        {
            Enqueue(expect.Row);
            SendDue();
        });
        Receive<Delivered>(_ =>
        {
            _inFlight--;
            SendDue();
        });
        // A scheduler node is gone for good (downed or left): the wake-ups sent to its jobs since it became
        // unreachable were lost with it. Forget them and read the index now: the next message for each of its
        // shards brings the shard up on a surviving node, so its jobs recover and fire (or catch up) at once
        // instead of after the resend interval.
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            if (!removed.Member.HasRole("scheduler"))
                return;
            _log.Info("Scheduler node {0} is gone; waking its due jobs again", removed.Member.Address);
            // Not at once: the shard region learns of the removal through its own watch, a moment later, and a
            // wake-up sent before that still goes to the dead node. Twice, in case the first was still too early.
            Timers.StartSingleTimer("rewake-1", new Rewake(), RewakeDelay);
            Timers.StartSingleTimer("rewake-2", new Rewake(), RewakeDelay * 4);
        });
        Receive<Rewake>(_ =>
        {
            _sent.Clear();
            _warmed.Clear();
            StartPoll();
        });
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("poll", new Poll(), TimeSpan.Zero, _settings.PollInterval);
        if (Context.System.Settings.Config.GetString("akka.actor.provider", "") == "cluster")
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        base.PreStart();
    }

    protected override void PostStop()
    {
        if (Context.System.Settings.Config.GetString("akka.actor.provider", "") == "cluster")
            Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        base.PostStop();
    }

    private void StartPoll()
    {
        if (_polling)
            return;
        _polling = true;
        var horizon = _clock.GetUtcNow() + _settings.Lookahead;
        Task.Run(() => new Loaded(_store.DueBy(horizon, _settings.MaxLoaded))).PipeTo(Self);
    }

    private void Enqueue(DueWake row)
    {
        if (_sent.TryGetValue(row.JobId, out var sent) && sent.Generation == row.Generation &&
            _clock.GetUtcNow() - sent.SentAt < _settings.ResendAfter)
            return;
        if (_byJob.Remove(row.JobId, out var previous))
            _queue.Remove((previous.WakeAt, previous.JobId));
        _byJob[row.JobId] = row;
        _queue.Add((row.WakeAt, row.JobId));
        if (row.WakeAt - _clock.GetUtcNow() > WarmAhead && _warmed.Add((row.JobId, row.Generation)))
            _toWarm.Enqueue(row);
    }

    private void SendDue()
    {
        var now = _clock.GetUtcNow();
        while (_inFlight < _settings.MaxInFlight && _queue.Count > 0 && _queue.Min.At <= now)
        {
            var (_, jobId) = _queue.Min;
            _queue.Remove(_queue.Min);
            _byJob.Remove(jobId, out var row);
            _sent[jobId] = (row!.Generation, now);
            _inFlight++;
            _region.Ask<JobReply>(new JobEnvelope(jobId, new JobRequest(new WakeUp(row.Generation))), _settings.DeliveryTimeout)
                .ContinueWith(_ => new Delivered(jobId), TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(Self);
        }
        while (_inFlight < _settings.MaxInFlight && _toWarm.TryDequeue(out var warm))
        {
            if (warm.WakeAt - now <= WarmAhead || !_byJob.TryGetValue(warm.JobId, out var current) || current.Generation != warm.Generation)
                continue;
            _queue.Remove((current.WakeAt, current.JobId));
            _byJob[warm.JobId] = current with { WakeAt = current.WakeAt + WarmedBackstop };
            _queue.Add((current.WakeAt + WarmedBackstop, current.JobId));
            _inFlight++;
            _region.Ask<JobReply>(new JobEnvelope(warm.JobId, new GetJob()), _settings.DeliveryTimeout)
                .ContinueWith(_ => new Delivered(warm.JobId), TaskContinuationOptions.ExecuteSynchronously)
                .PipeTo(Self);
        }
        ForgetOldSends(now);
        Timers.Cancel("tick");
        if (_queue.Count > 0 && _inFlight < _settings.MaxInFlight)
        {
            var delay = _queue.Min.At - now;
            Timers.StartSingleTimer("tick", new Tick(), delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }

    private void ForgetOldSends(DateTimeOffset now)
    {
        if (_warmed.Count > 100_000 && _toWarm.Count == 0)
            _warmed.Clear();
        if (_sent.Count < 10_000)
            return;
        foreach (var old in _sent.Where(s => now - s.Value.SentAt >= _settings.ResendAfter).Select(s => s.Key).ToList())
            _sent.Remove(old);
    }
}

/// <param name="PollInterval">How often the time index is read.</param>
/// <param name="Lookahead">How far ahead each read looks; must exceed the poll interval.</param>
/// <param name="MaxLoaded">Rows held in memory per read.</param>
/// <param name="MaxInFlight">Wake-ups awaiting an answer at once (the catch-up budget).</param>
/// <param name="ResendAfter">A wake-up for the same generation is not repeated sooner than this.</param>
/// <param name="DeliveryTimeout">How long a wake-up may take to be answered (recovery included).</param>
public sealed record WakeSettings(
    TimeSpan PollInterval, TimeSpan Lookahead, int MaxLoaded, int MaxInFlight, TimeSpan ResendAfter, TimeSpan DeliveryTimeout)
{
    public static readonly WakeSettings Default = new(
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), 20_000, 200, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
}
