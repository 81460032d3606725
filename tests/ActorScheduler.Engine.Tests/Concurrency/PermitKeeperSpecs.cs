using ActorScheduler.Core;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Concurrency;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;

namespace ActorScheduler.Engine.Tests.Concurrency;

/// <summary>
/// The permit keeper as an actor: grants in the order asked within the limit, reclaims first after a (re)start,
/// frees permits whose job no longer has the run in flight, and refuses beyond its bound. Dispatchers and the job
/// region are probes.
/// </summary>
public sealed class PermitKeeperSpecs() : TestKit(JournalSerializationConfig.Hocon)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);

    private static RunId Run(string job, int n = 1) => new(JobId.Parse(job), n);

    private IActorRef Keeper(TestProbe jobs, TimeSpan? grace = null, TimeSpan? verify = null, int maxWaiting = 100, IReadOnlyCollection<string>? schedulers = null) =>
        Sys.ActorOf(PermitKeeper.Props(jobs, new ConcurrencySettings(verify ?? TimeSpan.FromHours(1), grace ?? TimeSpan.FromMilliseconds(10), maxWaiting),
            TimeSpan.FromSeconds(10), TimeProvider.System, schedulers is null ? null : () => schedulers));

    /// <summary>Asks for a permit of another key and waits for it: once granted, the keeper admits (its grace is over).</summary>
    private void AwaitOpen(IActorRef keeper)
    {
        var opener = CreateTestProbe();
        keeper.Tell(new AcquirePermit("opener-" + Guid.NewGuid(), 1, Run("opener")), opener);
        opener.ExpectMsg<PermitGranted>(Long);
    }

    [Fact]
    public void Should_grant_the_waiting_runs_in_the_order_they_asked_when_permits_are_released()
    {
        var keeper = Keeper(CreateTestProbe());
        var (d1, d2) = (CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new AcquirePermit("k", 1, Run("a")), d1);
        Assert.Equal(Run("a"), d1.ExpectMsg<PermitGranted>(Long).RunId);

        keeper.Tell(new AcquirePermit("k", 1, Run("b")), d2);
        keeper.Tell(new AcquirePermit("k", 1, Run("c")), d1);
        keeper.Tell(new ReleasePermit(Run("a"), PermitRelease.Ended), d1);

        Assert.Equal(Run("b"), d2.ExpectMsg<PermitGranted>(Long).RunId);
        keeper.Tell(new ReleasePermit(Run("b"), PermitRelease.Ended), d2);
        keeper.Tell(new ReleasePermit(Run("b"), PermitRelease.Ended), d2); // twice: harmless
        Assert.Equal(Run("c"), d1.ExpectMsg<PermitGranted>(Long).RunId);
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Should_grant_nothing_new_during_its_grace_period_when_it_starts()
    {
        var keeper = Keeper(CreateTestProbe(), grace: TimeSpan.FromHours(1));
        var dispatcher = CreateTestProbe();

        keeper.Tell(new AcquirePermit("k", 5, Run("a")), dispatcher);
        keeper.Tell(GetPermitKeeper.Instance, dispatcher);

        Assert.IsType<PermitKeeperIs>(dispatcher.ExpectMsg<object>(Long)); // the request was handled, and not granted
    }

    [Fact]
    public void Should_end_its_grace_early_when_every_scheduler_node_has_told_its_permits()
    {
        var keeper = Keeper(CreateTestProbe(), grace: TimeSpan.FromHours(1), schedulers: ["node-1", "node-2"]);
        var (d1, d2) = (CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new ReclaimPermit("k", Run("going")), d1);
        keeper.Tell(new PermitClaimsTold("node-1"), d1);
        keeper.Tell(new AcquirePermit("k", 2, Run("next")), d2);
        keeper.Tell(GetPermitKeeper.Instance, d2);
        Assert.IsType<PermitKeeperIs>(d2.ExpectMsg<object>(Long)); // one node has not told yet: nothing granted

        keeper.Tell(new PermitClaimsTold("node-2"), d2);

        Assert.Equal(Run("next"), d2.ExpectMsg<PermitGranted>(Long).RunId);
    }

    [Fact]
    public void Should_count_reclaimed_permits_against_the_limit_when_it_opens_after_a_restart()
    {
        var keeper = Keeper(CreateTestProbe(), grace: TimeSpan.FromMilliseconds(500));
        var (holder, waiter) = (CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new ReclaimPermit("k", Run("going")), holder);
        keeper.Tell(new AcquirePermit("k", 1, Run("next")), waiter);

        AwaitOpen(keeper);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // granted at the opening it would be here already

        keeper.Tell(new ReleasePermit(Run("going"), PermitRelease.Ended), holder);
        Assert.Equal(Run("next"), waiter.ExpectMsg<PermitGranted>(Long).RunId);
    }

    [Fact]
    public void Should_answer_the_dispatcher_that_asked_last_when_a_waiting_run_is_asked_for_again()
    {
        var keeper = Keeper(CreateTestProbe());
        var (d1, d2, d3) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new AcquirePermit("k", 1, Run("a")), d1);
        d1.ExpectMsg<PermitGranted>(Long);
        keeper.Tell(new AcquirePermit("k", 1, Run("b")), d2);
        keeper.Tell(new AcquirePermit("k", 1, Run("b")), d3); // the job recovered on d3's node and sent its run again

        keeper.Tell(new ReleasePermit(Run("a"), PermitRelease.Lost), d1);

        Assert.Equal(Run("b"), d3.ExpectMsg<PermitGranted>(Long).RunId);
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Should_free_a_permit_when_its_job_no_longer_has_the_run_in_flight()
    {
        var jobs = CreateTestProbe();
        var keeper = Keeper(jobs, verify: TimeSpan.FromMilliseconds(200));
        var (d1, d2) = (CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new AcquirePermit("k", 1, Run("a")), d1);
        d1.ExpectMsg<PermitGranted>(Long);
        keeper.Tell(new AcquirePermit("k", 1, Run("b")), d2);

        var first = jobs.ExpectMsg<JobEnvelope>(Long);
        Assert.Equal(new IsRunInFlight(Run("a")), first.Message);
        jobs.Reply(new RunInFlightAnswer(Run("a"), true));
        var second = jobs.ExpectMsg<JobEnvelope>(Long); // checked again a later interval
        Assert.Equal(new IsRunInFlight(Run("a")), second.Message);
        d2.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // still in flight: still held
        jobs.Reply(new RunInFlightAnswer(Run("a"), false));

        Assert.Equal(Run("b"), d2.ExpectMsg<PermitGranted>(Long).RunId);
    }

    [Fact]
    public void Should_free_a_permit_when_its_job_does_not_exist()
    {
        var jobs = CreateTestProbe();
        var keeper = Keeper(jobs, verify: TimeSpan.FromMilliseconds(200));
        var (d1, d2) = (CreateTestProbe(), CreateTestProbe());
        keeper.Tell(new AcquirePermit("k", 1, Run("gone")), d1);
        d1.ExpectMsg<PermitGranted>(Long);
        keeper.Tell(new AcquirePermit("k", 1, Run("b")), d2);

        jobs.ExpectMsg<JobEnvelope>(Long);
        jobs.Reply(new JobRefused(RejectionKind.NotFound, "Job 'gone' does not exist."));

        Assert.Equal(Run("b"), d2.ExpectMsg<PermitGranted>(Long).RunId);
    }

    [Fact]
    public void Should_refuse_a_run_when_as_many_runs_wait_as_it_may_hold()
    {
        var keeper = Keeper(CreateTestProbe(), maxWaiting: 1);
        var dispatcher = CreateTestProbe();
        keeper.Tell(new AcquirePermit("k", 1, Run("a")), dispatcher);
        dispatcher.ExpectMsg<PermitGranted>(Long);
        keeper.Tell(new AcquirePermit("k", 1, Run("b")), dispatcher);
        keeper.Tell(new AcquirePermit("k", 1, Run("c")), dispatcher);

        Assert.Equal(Run("c"), dispatcher.ExpectMsg<PermitRefused>(Long).RunId);
    }

    [Fact]
    public async Task Should_answer_with_the_same_incarnation_until_a_new_keeper_starts()
    {
        var (first, second) = (Keeper(CreateTestProbe()), Keeper(CreateTestProbe()));

        var a = await first.Ask<PermitKeeperIs>(GetPermitKeeper.Instance, Long);
        var b = await first.Ask<PermitKeeperIs>(GetPermitKeeper.Instance, Long);
        var c = await second.Ask<PermitKeeperIs>(GetPermitKeeper.Instance, Long);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
