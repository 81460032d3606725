using System.Diagnostics;
using ActorScheduler.Engine.Telemetry;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>A run a worker is carrying out: what it runs, how to stop it, and who placed it.</summary>
public sealed class ActiveRun(DispatchRun run, IActorRef dispatcher, DateTimeOffset startedAt)
{
    public DispatchRun Run { get; } = run;

    /// <summary>Who hears the run released: the dispatcher that placed it, or the last one that probed it (after a fail-over).</summary>
    public IActorRef Dispatcher { get; set; } = dispatcher;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public CancellationTokenSource Cancel { get; } = new();

    public DateTimeOffset LastProgressSent { get; set; }

    /// <summary>The worker's run span (<see cref="TracedRunner"/>), null when not traced.</summary>
    public Activity? Span { get; init; }
}

/// <summary>How a worker answers a <see cref="StartRun"/>: a closed set.</summary>
public abstract record StartDecision
{
    private protected StartDecision()
    {
    }
}

/// <param name="Full">Refused because every slot is taken (not because the worker is stopping).</param>
public sealed record StartRefused(string Reason, bool Full = false) : StartDecision;

/// <summary>The run is going already, or finished under this fencing token: the message was a duplicate.</summary>
public sealed record AlreadyStarted : StartDecision;

public sealed record Started(ActiveRun Run) : StartDecision;

/// <summary>
/// The worker's bookkeeping, without an actor: the runs in flight, the runs finished recently (so a probe racing a
/// final report is not answered "unknown"), and the outcomes its jobs have not acknowledged yet. An outcome is sent
/// again until its job answers, which it does only after journaling it: a scheduler that dies between receiving
/// and storing an outcome must not lose it.
/// </summary>
/// <param name="slots">Runs carried out at once at most; a run beyond them is refused as full (its dispatcher places it elsewhere or later).</param>
public sealed class RunBook(string workerName, int slots = int.MaxValue)
{
    /// <summary>Progress reports are journaled by the job; at most one a second per run reaches it.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Finished runs remembered for probes; older ones are forgotten (a probe then says unknown).</summary>
    public const int FinishedMemory = 10_000;

    /// <summary>Unacknowledged outcomes kept; past this the oldest is given up (its job probes for it on recovery).</summary>
    public const int UnacknowledgedMemory = 10_000;

    private static readonly TimeSpan LongestResendDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long a job may take to answer a run's start report (recovery included).</summary>
    public static readonly TimeSpan StartAnswerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a job may take to acknowledge an outcome before it is sent again.</summary>
    public static readonly TimeSpan FinalAnswerTimeout = TimeSpan.FromSeconds(5);

    /// <param name="ReleaseTo">A dispatcher that probed the run after it finished: it hears the release once the outcome is acknowledged.</param>
    private sealed record Unacknowledged(JobEnvelope Report, int Attempts, LinkedListNode<RunId> Age, IActorRef? ReleaseTo = null);

    private readonly Dictionary<RunId, ActiveRun> _running = new();

    // Finished runs by the fencing token they finished under, oldest first in the queue. A run finished again under
    // a newer token is queued again; its older entry, when it leaves the queue, leaves the newer one in place.
    private readonly Dictionary<RunId, long> _finished = new();
    private readonly Queue<(RunId RunId, long FencingToken)> _finishedOrder = new();

    private readonly Dictionary<RunId, Unacknowledged> _unacknowledged = new();
    private readonly LinkedList<RunId> _unacknowledgedAge = new();

    public bool Draining { get; private set; }

    public IReadOnlyCollection<ActiveRun> InFlight => _running.Values;

    /// <summary>The worker stops with these runs in flight: they no longer count as in flight here.</summary>
    public IReadOnlyCollection<ActiveRun> Abandon()
    {
        EngineMetrics.RunInFlight(workerName, -_running.Count);
        foreach (var run in _running.Values)
            run.Span?.Dispose(); // ended without an outcome: its job hears the run lost
        return _running.Values;
    }

    public int UnacknowledgedCount => _unacknowledged.Count;

    /// <summary>What <c>schedctl workers</c> shows.</summary>
    public WorkerStatus Status() => new(workerName, _running.Count, slots, Draining, _unacknowledged.Count,
        _running.Values.OrderBy(r => r.StartedAt).Select(r => r.Run.RunId.ToString()).ToList());

    private readonly List<IActorRef> _drainWaiters = new();

    /// <summary>Who waits for the drain to end (the node's shutdown).</summary>
    public IReadOnlyList<IActorRef> DrainWaiters => _drainWaiters;

    /// <summary>Stopping: runs not yet started are refused from now on; <paramref name="waiter"/> hears when the drain is done.</summary>
    public void BeginDrain(IActorRef waiter)
    {
        Draining = true;
        _drainWaiters.Add(waiter);
    }

    /// <summary>Stopping, and every run is finished and its outcome acknowledged.</summary>
    public bool Drained => Draining && _running.Count == 0 && _unacknowledged.Count == 0;

    public StartDecision Start(DispatchRun run, IActorRef dispatcher, DateTimeOffset now)
    {
        if (Draining && !_running.ContainsKey(run.RunId))
            return new StartRefused($"worker {workerName} is stopping");
        // A newer fencing token for a finished run id is a real re-dispatch; the same or an older one is a duplicate.
        if (_running.ContainsKey(run.RunId) || (_finished.TryGetValue(run.RunId, out var token) && token >= run.FencingToken))
            return new AlreadyStarted();
        if (_running.Count >= slots)
            return new StartRefused($"worker {workerName} has all its {slots} slots taken", Full: true);
        var active = new ActiveRun(run, dispatcher, now) { Span = TracedRunner.StartRunSpan(run, workerName) };
        _running[run.RunId] = active;
        EngineMetrics.RunInFlight(workerName, +1);
        return new Started(active);
    }

    public ActiveRun? Running(RunId runId) => _running.GetValueOrDefault(runId);

    /// <summary>
    /// What the worker knows of a run a recovered job's dispatcher asks about. That dispatcher now tracks the run, so
    /// it is the one that hears the run released: when it ends (running), or once its outcome is acknowledged (finished).
    /// </summary>
    public ProbeAnswer Probe(RunId runId, IActorRef prober)
    {
        if (_running.TryGetValue(runId, out var running))
        {
            running.Dispatcher = prober;
            return ProbeAnswer.Running;
        }
        if (_unacknowledged.TryGetValue(runId, out var pending))
            _unacknowledged[runId] = pending with { ReleaseTo = prober };
        return _finished.ContainsKey(runId) ? ProbeAnswer.Finished : ProbeAnswer.Unknown;
    }

    /// <summary>The start report the job answers at once (a stale one is refused: the run must stop).</summary>
    public JobEnvelope StartReport(DispatchRun run) => ToJob(run, new ReportRunStarted(run.RunId, run.FencingToken, workerName));

    /// <summary>The progress report for the job, if this one goes: the last one (current = max) always, others once a second.</summary>
    public JobEnvelope? Progress(RunId runId, long current, long? max, DateTimeOffset now)
    {
        if (!_running.TryGetValue(runId, out var run) || (now - run.LastProgressSent < ProgressInterval && current != max))
            return null;
        run.LastProgressSent = now;
        return ToJob(run.Run, new ReportRunProgress(runId, run.Run.FencingToken, current, max));
    }

    /// <summary>The runner is done: the run leaves the book, and its report (to be sent until acknowledged) is made.</summary>
    public (ActiveRun Run, JobEnvelope Report)? Finish(RunId runId, RunResult result)
    {
        if (!_running.Remove(runId, out var run))
            return null;
        EngineMetrics.RunInFlight(workerName, -1);
        run.Cancel.Dispose();
        _finished[runId] = run.Run.FencingToken;
        _finishedOrder.Enqueue((runId, run.Run.FencingToken));
        if (_finishedOrder.Count > FinishedMemory && _finishedOrder.Dequeue() is var (oldest, token) && _finished.GetValueOrDefault(oldest) == token)
            _finished.Remove(oldest);
        var report = new ReportRunFinished(runId, run.Run.FencingToken, result.Outcome, result.ExitCode, result.Output, result.Error,
            workerName, run.StartedAt, LastResult.Emitted(result.LastEmitted) is null ? null : result.LastEmitted);
        return (run, ToJob(run.Run, report, TracedRunner.EndRunSpan(run.Span, result)));
    }

    private static JobEnvelope ToJob(DispatchRun run, JobCommand command, string? traceParent = null) => new(run.JobId, new JobRequest(command, traceParent));

    /// <summary>
    /// The outcome is (again) on its way: remembered until acknowledged. Answers the attempt number, and the run whose
    /// outcome was given up to stay within <see cref="UnacknowledgedMemory"/>, if any.
    /// </summary>
    public (int Attempt, RunId? GivenUp) Sending(RunId runId, JobEnvelope report)
    {
        RunId? givenUp = null;
        if (_unacknowledged.TryGetValue(runId, out var pending))
        {
            _unacknowledged[runId] = pending with { Report = report, Attempts = pending.Attempts + 1 };
            return (pending.Attempts + 1, null);
        }
        if (_unacknowledged.Count >= UnacknowledgedMemory)
        {
            givenUp = _unacknowledgedAge.First!.Value;
            Acknowledged(givenUp.Value);
        }
        _unacknowledged[runId] = new Unacknowledged(report, 1, _unacknowledgedAge.AddLast(runId));
        return (1, givenUp);
    }

    /// <summary>The report still waiting for its job's answer, if any (to send again now or later).</summary>
    public JobEnvelope? Unanswered(RunId runId) => _unacknowledged.GetValueOrDefault(runId)?.Report;

    /// <summary>
    /// Any answer of the job (even a refusal of a stale report) means it has seen the outcome. Answers the dispatcher
    /// that probed the run meanwhile, which is to hear it released.
    /// </summary>
    public IActorRef? Acknowledged(RunId runId)
    {
        if (!_unacknowledged.Remove(runId, out var pending))
            return null;
        _unacknowledgedAge.Remove(pending.Age);
        return pending.ReleaseTo;
    }

    /// <summary>The job did not answer in time: when to send the outcome again (backing off), or null if no longer pending.</summary>
    public TimeSpan? ResendDelay(RunId runId) =>
        _unacknowledged.TryGetValue(runId, out var pending)
            ? TimeSpan.FromSeconds(Math.Min(LongestResendDelay.TotalSeconds, 1 << Math.Min(pending.Attempts, 4)))
            : null;

    public int Attempts(RunId runId) => _unacknowledged.GetValueOrDefault(runId)?.Attempts ?? 0;
}
