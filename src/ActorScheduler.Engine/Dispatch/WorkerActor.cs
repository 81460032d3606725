using System.Text.Json;
using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Triggers;
using ActorScheduler.Runners;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The worker side of a node (<c>/user/worker</c>): starts runs on the runners, reports start, progress and
/// outcome to the job through the shard region, forwards emitted events to the trigger router, and kills a
/// run when its job cancels it or refuses its start as stale (a newer dispatch fenced it out).
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    private sealed record FinalAnswered(RunId RunId, bool Acknowledged);

    /// <summary>
    /// The node is stopping: take no new runs, and answer <see cref="Drained"/> once every run in flight has
    /// finished and its outcome is acknowledged by its job (the shutdown waits for that, up to the drain timeout).
    /// </summary>
    public sealed record Drain;

    public sealed record Drained;

    private readonly List<IActorRef> _drainWaiters = new();

    private sealed record ResendFinal(RunId RunId);

    private sealed record Unacknowledged(JobEnvelope Report, int Attempts);

    /// <summary>
    /// Final reports not yet answered by their job. A run's outcome must not be lost with a scheduler node that
    /// dies between receiving and journaling it: the report is sent again until the job (wherever its shard
    /// lives by then) answers, which it does only after journaling.
    /// </summary>
    private readonly Dictionary<RunId, Unacknowledged> _unacknowledged = new();
    private const int UnacknowledgedMemory = 10_000;
    private static readonly TimeSpan FinalAnswerTimeout = TimeSpan.FromSeconds(5);

    private sealed record Running(DispatchRun Run, CancellationTokenSource Cancel, IActorRef Dispatcher, DateTimeOffset StartedAt)
    {
        public DateTimeOffset LastProgressSent { get; set; }
    }

    private sealed record RunDone(RunId RunId, RunResult Result);

    private sealed record StartAnswered(RunId RunId, JobReply Reply);

    private sealed record ProgressSeen(RunId RunId, long Current, long? Max);

    /// <summary>Progress reports are journaled by the job; at most one a second per run reaches it.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<RunId, Running> _running = new();

    // Recently finished runs, so a probe racing with a run's final report is not answered "unknown".
    private readonly Dictionary<RunId, long> _finished = new();
    private readonly Queue<RunId> _finishedOrder = new();
    private const int FinishedMemory = 10_000;
    private readonly IRunner _runner;
    private readonly IActorRef _region;
    private readonly IActorRef _triggers;
    private readonly string _name;

    public const string Name = "worker";

    public static Props Props(IRunner runner, IActorRef region, IActorRef triggers, string name) =>
        Akka.Actor.Props.Create(() => new WorkerActor(runner, region, triggers, name));

    public WorkerActor(IRunner runner, IActorRef region, IActorRef triggers, string name)
    {
        (_runner, _region, _triggers, _name) = (runner, region, triggers, name);
        Receive<StartRun>(start =>
        {
            if (_drainWaiters.Count > 0 && !_running.ContainsKey(start.Run.RunId))
                Sender.Tell(new RunRefused(start.Run.RunId, $"worker {_name} is stopping"));
            else
                Start(start.Run, Sender);
        });
        Receive<Drain>(_ =>
        {
            _drainWaiters.Add(Sender);
            _log.Info("Worker {0} is stopping: {1} runs in flight, {2} outcomes unacknowledged", _name, _running.Count, _unacknowledged.Count);
            AnswerDrainedIfDone();
        });
        Receive<StopRun>(stop =>
        {
            if (_running.TryGetValue(stop.RunId, out var running))
                running.Cancel.Cancel();
        });
        Receive<ProbeRun>(probe =>
        {
            Sender.Tell(new RunProbed(probe.RunId,
                _running.ContainsKey(probe.RunId) ? ProbeAnswer.Running
                : _finished.ContainsKey(probe.RunId) ? ProbeAnswer.Finished
                : ProbeAnswer.Unknown));
            // A probe for a run whose outcome is still unacknowledged comes from a job that just recovered
            // (typically on another node after a failover): the outcome goes there now, not at the next retry.
            if (_unacknowledged.TryGetValue(probe.RunId, out var pending))
            {
                Timers.Cancel(("final", probe.RunId));
                SendFinal(probe.RunId, pending with { Attempts = pending.Attempts + 1 });
            }
        });
        Receive<StartAnswered>(answer =>
        {
            if (answer.Reply.Refusal is RejectionKind.Stale && _running.TryGetValue(answer.RunId, out var running))
            {
                _log.Warning("Run {0} was superseded ({1}); stopping it", answer.RunId, answer.Reply.Message);
                running.Cancel.Cancel();
            }
        });
        Receive<ProgressSeen>(ForwardProgress);
        Receive<RunDone>(Finish);
        Receive<FinalAnswered>(answered =>
        {
            if (!_unacknowledged.TryGetValue(answered.RunId, out var pending))
                return;
            if (answered.Acknowledged)
            {
                _unacknowledged.Remove(answered.RunId);
                AnswerDrainedIfDone();
                return;
            }
            var delay = TimeSpan.FromSeconds(Math.Min(10, 1 << Math.Min(pending.Attempts, 4)));
            _log.Info("The outcome of run {0} was not acknowledged (attempt {1}); sending it again in {2}", answered.RunId, pending.Attempts, delay);
            Timers.StartSingleTimer(("final", answered.RunId), new ResendFinal(answered.RunId), delay);
        });
        Receive<ResendFinal>(resend =>
        {
            if (_unacknowledged.TryGetValue(resend.RunId, out var pending))
                SendFinal(resend.RunId, pending with { Attempts = pending.Attempts + 1 });
        });
        Receive<JobReply>(_ => { });
    }

    private void Start(DispatchRun run, IActorRef dispatcher)
    {
        dispatcher.Tell(new RunAccepted(run.RunId));
        // Duplicates of a dispatch are ignored; a new fencing token for a finished run id is a real re-dispatch.
        if (_running.ContainsKey(run.RunId) || _finished.GetValueOrDefault(run.RunId) == run.FencingToken)
            return;
        var running = new Running(run, new CancellationTokenSource(), dispatcher, DateTimeOffset.UtcNow);
        _running[run.RunId] = running;
        _region.Ask<JobReply>(ToJob(run, new ReportRunStarted(run.RunId, run.FencingToken, _name)), TimeSpan.FromSeconds(30))
            .PipeTo(Self, success: reply => new StartAnswered(run.RunId, reply), failure: _ => new StartAnswered(run.RunId, JobReply.OfRuns([])));
        var observer = new Observer(Self, _triggers, run.RunId);
        _runner.RunAsync(run.Request, observer, running.Cancel.Token).PipeTo(Self,
            success: result => new RunDone(run.RunId, result),
            failure: error => new RunDone(run.RunId, RunResult.Failed($"runner failed: {error.Message}")));
    }

    private void ForwardProgress(ProgressSeen progress)
    {
        if (!_running.TryGetValue(progress.RunId, out var running))
            return;
        var now = DateTimeOffset.UtcNow;
        if (now - running.LastProgressSent < ProgressInterval && progress.Current != progress.Max)
            return;
        running.LastProgressSent = now;
        _region.Tell(ToJob(running.Run, new ReportRunProgress(progress.RunId, running.Run.FencingToken, progress.Current, progress.Max)));
    }

    private void Finish(RunDone done)
    {
        if (!_running.Remove(done.RunId, out var running))
            return;
        running.Cancel.Dispose();
        _finished[done.RunId] = running.Run.FencingToken;
        _finishedOrder.Enqueue(done.RunId);
        if (_finishedOrder.Count > FinishedMemory)
            _finished.Remove(_finishedOrder.Dequeue());
        var r = done.Result;
        SendFinal(done.RunId, new Unacknowledged(ToJob(running.Run, new ReportRunFinished(done.RunId, running.Run.FencingToken, r.Outcome,
            r.ExitCode, r.Output, r.Error, _name, running.StartedAt)), 1));
        running.Dispatcher.Tell(new WorkerReleased(done.RunId));
    }

    private void AnswerDrainedIfDone()
    {
        if (_drainWaiters.Count == 0 || _running.Count > 0 || _unacknowledged.Count > 0)
            return;
        _drainWaiters.ForEach(waiter => waiter.Tell(new Drained()));
    }

    /// <summary>Any answer of the job (even a refusal of a stale report) means it has seen the outcome.</summary>
    private void SendFinal(RunId runId, Unacknowledged pending)
    {
        if (!_unacknowledged.ContainsKey(runId) && _unacknowledged.Count >= UnacknowledgedMemory)
        {
            var oldest = _unacknowledged.Keys.First();
            _log.Warning("More than {0} run outcomes unacknowledged; giving up on {1} (its job will probe for it)", UnacknowledgedMemory, oldest);
            _unacknowledged.Remove(oldest);
        }
        _unacknowledged[runId] = pending;
        _region.Ask<JobReply>(pending.Report, FinalAnswerTimeout)
            .PipeTo(Self, success: _ => new FinalAnswered(runId, true), failure: _ => new FinalAnswered(runId, false));
    }

    protected override void PostStop()
    {
        foreach (var running in _running.Values)
            running.Cancel.Cancel();
    }

    private static JobEnvelope ToJob(DispatchRun run, JobCommand command) => new(run.JobId, new JobRequest(command));

    /// <summary>Runner callbacks arrive on a runner thread; they only ever send messages.</summary>
    private sealed class Observer(IActorRef worker, IActorRef triggers, RunId runId) : IRunObserver
    {
        public void Progress(long current, long? max) => worker.Tell(new ProgressSeen(runId, current, max));

        public void Emit(string eventName, JsonElement? data) => triggers.Tell(new EventEmitted(eventName, data, runId));
    }
}
