using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Concurrency;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using ActorScheduler.Runners;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests.Concurrency;

/// <summary>
/// The dispatcher with a real permit keeper, on a one-node cluster that is its own worker (a probe stands at
/// <c>/user/worker</c>): runs sharing a key start one after the other, in the order they came, and a run canceled
/// while it waits for a permit never starts and its job hears it canceled.
/// </summary>
public sealed class DispatcherPermitSpecs() : TestKit(Config)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.cluster.roles = [worker, "worker-name:w1", "worker-slots:8"]
        akka.loglevel = WARNING
        """).WithFallback(JournalSerializationConfig.Hocon);

    private static DispatchRun Keyed(string job) => new DispatchRun(
        new RunRequest(JobId.Parse(job), new RunId(JobId.Parse(job), 1), 1, 1, DateTimeOffset.UnixEpoch,
            new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null), null, null, false)
    { Concurrency = new ConcurrencySpec { Key = "customer-1", Limit = 1 } };

    private (IActorRef Dispatcher, TestProbe Worker, TestProbe Jobs) Start()
    {
        var (worker, jobs) = (CreateTestProbe(), CreateTestProbe());
        Sys.ActorOf(Props.Create(() => new Relay(worker)), WorkerActor.Name);
        var keeper = Sys.ActorOf(PermitKeeper.Props(jobs, new ConcurrencySettings(TimeSpan.FromHours(1), TimeSpan.FromMilliseconds(10), 100),
            TimeSpan.FromSeconds(10), TimeProvider.System));
        var settings = new DispatchSettings(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), 100, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
        var dispatcher = Sys.ActorOf(Dispatcher.Props(jobs, keeper, settings));
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        return (dispatcher, worker, jobs);
    }

    /// <summary>Stands in for the worker: what the dispatcher sends it goes to the probe, which answers as a worker would.</summary>
    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef to) => ReceiveAny(message => to.Forward(message));
    }

    /// <summary>The next run the worker is asked to start; it accepts it, as a worker does.</summary>
    private static RunId Started(TestProbe worker)
    {
        var start = worker.ExpectMsg<StartRun>(Long);
        worker.Reply(new RunAccepted(start.Run.RunId));
        return start.Run.RunId;
    }

    [Fact]
    public void Should_start_runs_sharing_a_key_one_at_a_time_in_the_order_they_came()
    {
        var (dispatcher, worker, _) = Start();
        var runs = new[] { Keyed("first"), Keyed("second"), Keyed("third") };
        foreach (var run in runs)
            dispatcher.Tell(run);

        var order = new List<RunId>();
        for (var i = 0; i < runs.Length; i++)
        {
            order.Add(Started(worker));
            worker.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the others wait for the permit
            dispatcher.Tell(new WorkerReleased(order[^1]), worker.Ref);
        }

        Assert.Equal(runs.Select(r => r.RunId), order);
    }

    [Fact]
    public void Should_report_a_run_canceled_and_never_start_it_when_it_is_canceled_while_it_waits_for_a_permit()
    {
        var (dispatcher, worker, jobs) = Start();
        var (going, waiting, after) = (Keyed("going"), Keyed("waiting"), Keyed("after"));
        dispatcher.Tell(going);
        Assert.Equal(going.RunId, Started(worker));
        dispatcher.Tell(waiting);
        dispatcher.Tell(after);

        dispatcher.Tell(new CancelDispatchedRun(waiting.RunId, null, waiting.FencingToken));
        var report = jobs.ExpectMsg<JobEnvelope>(Long);
        var finished = Assert.IsType<ReportRunFinished>(Assert.IsType<JobRequest>(report.Message).Command);
        Assert.Equal((waiting.RunId, RunStatus.Canceled), (finished.RunId, finished.Outcome));

        dispatcher.Tell(new WorkerReleased(going.RunId), worker.Ref);
        Assert.True(Started(worker) == after.RunId, "the canceled run's place in line is withdrawn: the run after it goes next");
    }
}
