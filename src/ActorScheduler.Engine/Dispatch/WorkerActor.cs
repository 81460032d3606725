using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;
using Akka.Event;

namespace ActorScheduler.Engine.Dispatch;

/// <summary>
/// The worker side of a node (<c>/user/worker</c>), a shell over <see cref="RunBook"/>: starts runs on the runners,
/// reports start, progress and outcome to the job through the shard region, forwards emitted events to the trigger
/// router, and kills a run when its job cancels it or refuses its start as stale (a newer dispatch fenced it out).
/// </summary>
public sealed class WorkerActor : ReceiveActor, IWithTimers
{
    public const string Name = "worker";

    // What the runners, the jobs' answers and its own timers tell it, through the mailbox.
    private sealed record RunDone(RunId RunId, RunResult Result);
    private sealed record StartAnswered(RunId RunId, JobReply? Reply);
    private sealed record ProgressSeen(RunId RunId, long Current, long? Max);
    private sealed record FinalAnswered(RunId RunId, bool Acknowledged);
    private sealed record ResendFinal(RunId RunId);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RunBook _book;
    private readonly IRunner _runner;
    private readonly IActorRef _jobs;
    private readonly IActorRef _triggers;
    private readonly TimeProvider _clock;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="jobs">The job shard region (or its proxy): reports go to the jobs through it.</param>
    /// <param name="triggers">Where emitted events go: a trigger router (on a scheduler node).</param>
    /// <param name="slots">Runs carried out at once at most.</param>
    public static Props Props(IRunner runner, IActorRef jobs, IActorRef triggers, string name, int slots, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new WorkerActor(runner, jobs, triggers, name, slots, clock));

    public WorkerActor(IRunner runner, IActorRef jobs, IActorRef triggers, string name, int slots, TimeProvider clock)
    {
        (_runner, _jobs, _triggers, _clock, _book) = (runner, jobs, triggers, clock, new RunBook(name, slots));
        Receive<StartRun>(start =>
        {
            var decision = _book.Start(start.Run, Sender, _clock.GetUtcNow());
            Sender.Tell(decision is StartRefused refused ? new RunRefused(start.Run.RunId, refused.Reason, refused.Full) : new RunAccepted(start.Run.RunId));
            if (decision is Started started)
                Begin(started.Run);
        });
        Receive<DrainWorker>(_ =>
        {
            _book.BeginDrain(Sender);
            _log.Info("Worker {0} is stopping: {1} runs in flight, {2} outcomes unacknowledged", name, _book.InFlight.Count, _book.UnacknowledgedCount);
            AnswerDrainedIfDone();
        });
        Receive<StopRun>(stop => _book.Running(stop.RunId)?.Cancel.Cancel());
        Receive<GetWorkerStatus>(_ => Sender.Tell(_book.Status()));
        Receive<ProbeRun>(probe =>
        {
            var answer = _book.Probe(probe.RunId, Sender);
            Sender.Tell(new RunProbed(probe.RunId, answer));
            // A probe comes from a job that just recovered (typically on another node after a fail-over): an
            // outcome it has not acknowledged goes there now, not at the next retry; one it has needs no tracking.
            if (_book.Unanswered(probe.RunId) is { } report)
            {
                Timers.Cancel(("final", probe.RunId));
                SendFinal(probe.RunId, report);
            }
            else if (answer == ProbeAnswer.Finished)
                Sender.Tell(new WorkerReleased(probe.RunId));
        });
        Receive<StartAnswered>(answer =>
        {
            // Any refusal: superseded, canceled before it started, or a job that no longer exists or cannot be read.
            // Nobody would record this process's end, so it must not go on.
            if (answer.Reply is JobRefused refused && _book.Running(answer.RunId) is { } running)
            {
                _log.Warning("Run {0}: its job refused the start ({1}); stopping it", answer.RunId, refused.Message);
                running.Cancel.Cancel();
            }
        });
        Receive<ProgressSeen>(progress =>
        {
            if (_book.Progress(progress.RunId, progress.Current, progress.Max, _clock.GetUtcNow()) is { } report)
                _jobs.Tell(report, ActorRefs.NoSender);
        });
        Receive<RunDone>(done =>
        {
            if (_book.Finish(done.RunId, done.Result) is not var (run, report))
                return;
            SendFinal(done.RunId, report);
            run.Dispatcher.Tell(new WorkerReleased(done.RunId));
        });
        Receive<FinalAnswered>(answered =>
        {
            if (answered.Acknowledged)
            {
                _book.Acknowledged(answered.RunId)?.Tell(new WorkerReleased(answered.RunId));
                AnswerDrainedIfDone();
            }
            else if (_book.ResendDelay(answered.RunId) is { } delay)
            {
                _log.Info("The outcome of run {0} was not acknowledged (attempt {1}); sending it again in {2}", answered.RunId, _book.Attempts(answered.RunId), delay);
                Timers.StartSingleTimer(("final", answered.RunId), new ResendFinal(answered.RunId), delay);
            }
        });
        Receive<ResendFinal>(resend =>
        {
            if (_book.Unanswered(resend.RunId) is { } report)
                SendFinal(resend.RunId, report);
        });
    }

    /// <summary>Reports the start (a stale answer stops the run) and hands the run to the runners.</summary>
    private void Begin(ActiveRun active)
    {
        var run = active.Run;
        _jobs.Ask<JobReply>(_book.StartReport(run), RunBook.StartAnswerTimeout)
            .PipeTo(Self, success: reply => new StartAnswered(run.RunId, reply), failure: _ => new StartAnswered(run.RunId, null));
        var self = Self;
        var observer = new RunObserver(run.RunId, run.ChainDepth, _triggers, (current, max) => self.Tell(new ProgressSeen(run.RunId, current, max)));
        _runner.RunAsync(run.Request, observer, active.Cancel.Token).PipeTo(Self,
            success: result => new RunDone(run.RunId, result with { LastEmitted = observer.LastEmitted }),
            failure: error => new RunDone(run.RunId, RunResult.Failed($"runner failed: {error.Message}")));
    }

    private void SendFinal(RunId runId, JobEnvelope report)
    {
        var (_, givenUp) = _book.Sending(runId, report);
        if (givenUp is { } oldest)
            _log.Warning("More than {0} run outcomes unacknowledged; giving up on {1} (its job will probe for it)", RunBook.UnacknowledgedMemory, oldest);
        _jobs.Ask<JobReply>(report, RunBook.FinalAnswerTimeout)
            .PipeTo(Self, success: _ => new FinalAnswered(runId, true), failure: _ => new FinalAnswered(runId, false));
    }

    private void AnswerDrainedIfDone()
    {
        if (_book.Drained)
            foreach (var waiter in _book.DrainWaiters)
                waiter.Tell(WorkerDrained.Instance);
    }

    protected override void PostStop()
    {
        foreach (var running in _book.Abandon())
            running.Cancel.Cancel();
    }
}
