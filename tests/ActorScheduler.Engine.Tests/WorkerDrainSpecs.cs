using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using ActorScheduler.Runners;
using Akka.Actor;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The worker's side of a graceful stop and of a scheduler that dies: outcomes are sent until acknowledged, and a
/// stopping worker refuses new runs and says when its runs in flight are finished and recorded.
/// </summary>
public sealed class WorkerDrainSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly JobId Job = JobId.Parse("report");

    /// <summary>A runner whose runs end when the test says so.</summary>
    private sealed class HeldRunner : IRunner
    {
        public readonly Dictionary<RunId, TaskCompletionSource<RunResult>> Runs = new();

        public bool CanRun(RunSpec spec) => true;

        public Task<RunResult> RunAsync(RunRequest request, IRunObserver observer, CancellationToken cancel)
        {
            var done = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Runs) Runs[request.RunId] = done;
            return done.Task;
        }

        public void Finish(RunId run)
        {
            TaskCompletionSource<RunResult> done;
            lock (Runs) done = Runs[run];
            done.SetResult(RunResult.Succeeded("ok"));
        }
    }

    private static StartRun Start(int n) => new(new DispatchRun(
        new RunRequest(Job, new RunId(Job, n), 1, n, DateTimeOffset.UnixEpoch, new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null),
        null, null, false));

    private (IActorRef Worker, HeldRunner Runner, Akka.TestKit.TestProbe Region) StartWorker()
    {
        var runner = new HeldRunner();
        var region = CreateTestProbe();
        var worker = Sys.ActorOf(WorkerActor.Props(runner, region, CreateTestProbe(), "w1", 64, TimeProvider.System));
        return (worker, runner, region);
    }

    /// <summary>Answers the worker's start report and returns the next message the region gets.</summary>
    private static JobEnvelope Next(Akka.TestKit.TestProbe region) => region.ExpectMsg<JobEnvelope>(TimeSpan.FromSeconds(10));

    [Fact]
    public void Should_refuse_new_runs_while_stopping_and_answer_drained_once_its_run_is_recorded()
    {
        var (worker, runner, region) = StartWorker();
        var dispatcher = CreateTestProbe();
        worker.Tell(Start(1), dispatcher);
        dispatcher.ExpectMsg<RunAccepted>();
        Next(region); // ReportRunStarted
        AwaitCondition(() => { lock (runner.Runs) return runner.Runs.Count == 1; });

        var stopper = CreateTestProbe();
        worker.Tell(DrainWorker.Instance, stopper);
        worker.Tell(Start(2), dispatcher);
        var refused = dispatcher.ExpectMsg<RunRefused>();
        Assert.Equal(new RunId(Job, 2), refused.RunId);
        stopper.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // run 1 is still going

        runner.Finish(new RunId(Job, 1));
        var finished = Next(region);
        dispatcher.ExpectMsg<WorkerReleased>();
        Assert.IsType<ReportRunFinished>(((JobRequest)finished.Message).Command);
        stopper.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // finished, but its job has not acknowledged it yet
        region.Reply(new RunsListed([]));

        stopper.ExpectMsg<WorkerDrained>();
    }

    [Fact]
    public void Should_send_a_runs_outcome_again_until_its_job_answers_and_at_once_when_probed()
    {
        var (worker, runner, region) = StartWorker();
        var dispatcher = CreateTestProbe();
        worker.Tell(Start(1), dispatcher);
        dispatcher.ExpectMsg<RunAccepted>();
        Next(region); // ReportRunStarted
        AwaitCondition(() => { lock (runner.Runs) return runner.Runs.Count == 1; });
        runner.Finish(new RunId(Job, 1));

        var first = Next(region); // not answered: the scheduler that got it died
        Assert.IsType<ReportRunFinished>(((JobRequest)first.Message).Command);
        dispatcher.ExpectMsg<WorkerReleased>();

        // A recovered job's dispatcher probes for the run: the worker says it finished and sends the outcome now.
        worker.Tell(new ProbeRun(new RunId(Job, 1)), dispatcher);
        Assert.Equal(ProbeAnswer.Finished, dispatcher.ExpectMsg<RunProbed>().Answer);
        // At once: the scheduled resend would come only after the 5 s answer timeout and a 2 s back-off.
        var again = region.ExpectMsg<JobEnvelope>(TimeSpan.FromSeconds(4));
        Assert.Equal(((JobRequest)first.Message).Command, ((JobRequest)again.Message).Command);
        region.Reply(new RunsListed([]));

        // Acknowledged: no further resends.
        region.ExpectNoMsg(TimeSpan.FromSeconds(7));
    }
}
