using System.Diagnostics.Metrics;
using ActorScheduler.Engine.Configuration;
using ActorScheduler.Engine.Telemetry;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace ActorScheduler.Engine.Wakeups;

/// <summary>
/// The node's timer for wake-ups of jobs in memory: one dedicated thread over a <see cref="PreciseTimerQueue"/> that
/// sleeps until the earliest armed instant (rounded up to its resolution slot; never a spin) and tells each due
/// message to its actor. Akka's own timers ride its hashed wheel (10 ms ticks), which made every run start 0–10 ms
/// late before anything else happened (docs/BENCHMARKS.md, "Punctual firing").
/// </summary>
/// <remarks>
/// Off until the host calls <see cref="Start"/> with <c>actor-scheduler.scheduler.precise-timer.enabled</c>; while
/// off, stopped or full, <see cref="TryArm"/> answers null and the caller uses Akka's timers instead. A timer fires
/// when the node's clock (the engine's <see cref="TimeProvider"/>) reaches its instant, never before: a job woken
/// before its due instant would find nothing due. It stops, dropping what is armed, when the actor system terminates.
/// </remarks>
public sealed class PreciseTimer : IExtension
{
    // The longest sleep: a wall-clock step forward (or a test's clock) is noticed within this.
    private static readonly TimeSpan MaxNap = TimeSpan.FromSeconds(1);

    private static readonly Counter<long> Refused = EngineMetrics.Meter.CreateCounter<long>("actorscheduler.timer.refused",
        description: "Wake-ups the precise timer refused because actor-scheduler.scheduler.precise-timer.max-armed were armed (Akka's timers took them)");

    private readonly ILoggingAdapter _log;
    private PreciseTimerQueue? _queue;
    private TimeProvider _clock = TimeProvider.System;
    private long _resolutionTicks = TimeSpan.TicksPerMillisecond;
    private Thread? _thread;
    private bool _stopping;
    private bool _full;

    public PreciseTimer(ExtendedActorSystem system)
    {
        _log = Logging.GetLogger(system, nameof(PreciseTimer));
        system.RegisterOnTermination(Stop);
    }

    public static PreciseTimer Get(ActorSystem system) => system.WithExtension<PreciseTimer, PreciseTimerProvider>();

    /// <summary>Whether timers are being armed here (started, enabled and not stopped).</summary>
    public bool Running => Volatile.Read(ref _thread) is not null && !Volatile.Read(ref _stopping);

    /// <summary>Timers armed now.</summary>
    public int Armed => _queue?.Live ?? 0;

    /// <summary>Starts the thread if <paramref name="settings"/> enable it; a second call does nothing.</summary>
    public void Start(PreciseTimerSettings settings, TimeProvider clock)
    {
        if (!settings.Enabled)
            return;
        var queue = new PreciseTimerQueue(settings.MaxArmed);
        lock (queue.Gate)
        {
            if (Interlocked.CompareExchange(ref _queue, queue, null) is not null || _stopping)
                return;
            (_clock, _resolutionTicks) = (clock, settings.Resolution.Ticks);
            _thread = new Thread(Loop) { IsBackground = true, Name = "precise-timer" };
            _thread.Start();
        }
    }

    /// <summary>
    /// Arms <paramref name="message"/> to <paramref name="target"/> at <paramref name="at"/> (at once if past); null
    /// when the timer is off, stopped or full, and the caller should use Akka's timers.
    /// </summary>
    public PreciseTimerHandle? TryArm(DateTimeOffset at, IActorRef target, object message)
    {
        if (_queue is not { } queue)
            return null;
        lock (queue.Gate)
        {
            if (_stopping)
                return null;
            var before = queue.NextAt;
            var handle = queue.TryArm(at, target, message);
            if (handle is null)
                ReportFull(queue);
            else
            {
                _full = false;
                if (before is null || at < before)
                    Monitor.Pulse(queue.Gate); // the thread sleeps until the old earliest
            }
            return handle;
        }
    }

    private void ReportFull(PreciseTimerQueue queue)
    {
        Refused.Add(1);
        if (_full)
            return;
        _full = true;
        _log.Warning("The precise timer holds {0} wake-ups (actor-scheduler.scheduler.precise-timer.max-armed); further ones use Akka's timers, up to 10 ms late, until some fire",
            queue.MaxArmed);
    }

    private void Loop()
    {
        var queue = _queue!;
        while (true)
        {
            IReadOnlyList<PreciseTimerHandle> due;
            lock (queue.Gate)
            {
                if (_stopping)
                    return;
                var now = _clock.GetUtcNow();
                due = queue.TakeDue(now);
                if (due.Count == 0)
                {
                    Monitor.Wait(queue.Gate, Nap(queue.NextAt, now));
                    continue;
                }
            }
            foreach (var timer in due)
                timer.Target.Tell(timer.Message, ActorRefs.NoSender);
        }
    }

    /// <summary>
    /// Until the end of the resolution slot <paramref name="next"/> falls in (so every timer due in one slot fires
    /// together, and none early), in whole milliseconds, at most <see cref="MaxNap"/>.
    /// </summary>
    private TimeSpan Nap(DateTimeOffset? next, DateTimeOffset now)
    {
        if (next is not { } at || at - now >= MaxNap)
            return MaxNap;
        var slotEnd = (at.UtcTicks + _resolutionTicks - 1) / _resolutionTicks * _resolutionTicks;
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((slotEnd - now.UtcTicks) / (double)TimeSpan.TicksPerMillisecond)));
    }

    private void Stop()
    {
        Volatile.Write(ref _stopping, true);
        if (_queue is not { } queue)
            return;
        Thread? thread;
        lock (queue.Gate)
        {
            _stopping = true;
            queue.Clear();
            Monitor.PulseAll(queue.Gate);
            thread = _thread;
        }
        thread?.Join(TimeSpan.FromSeconds(5));
    }
}

public sealed class PreciseTimerProvider : ExtensionIdProvider<PreciseTimer>
{
    public override PreciseTimer CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>
/// <c>actor-scheduler.scheduler.precise-timer</c>: whether jobs in memory wake on <see cref="PreciseTimer"/>, its
/// bound, and its resolution (timers due within one slot of it fire together at the slot's end).
/// </summary>
public sealed record PreciseTimerSettings(bool Enabled, int MaxArmed, TimeSpan Resolution)
{
    public static PreciseTimerSettings From(Config config)
    {
        var section = new ConfigSection(config, "actor-scheduler").Section("scheduler").Section("precise-timer");
        var resolution = section.PositiveDuration("resolution");
        if (resolution < TimeSpan.FromMilliseconds(1) || resolution.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ConfigurationException($"{section.Path}.resolution must be whole milliseconds, at least 1ms; got {resolution}.");
        return new PreciseTimerSettings(section.Bool("enabled"), section.PositiveInt("max-armed"), resolution);
    }
}
