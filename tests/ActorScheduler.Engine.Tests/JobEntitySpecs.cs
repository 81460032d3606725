using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Hosting;
using ActorScheduler.Engine.Jobs;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Engine.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The job entity alone, on the in-memory journal, its node collaborators replaced by probes and "now" by a
/// fake clock (the journal and serializer are covered by <see cref="JobJournalSerializerSpecs"/> and EngineSpecs).
/// </summary>
public sealed class JobEntitySpecs : TestKit
{
    private static readonly Config Hocon = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """).WithFallback(JournalSerializationConfig.Hocon);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private readonly TestProbe _index;
    private readonly TestProbe _dispatcher;
    private readonly TestProbe _triggers;
    private readonly JobEntityContext _context;

    public JobEntitySpecs() : base(Hocon)
    {
        (_index, _dispatcher, _triggers) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        _context = new JobEntityContext(_clock, _index, _dispatcher, _triggers, EngineSettings.From(EngineConfig.Load()).Entity, 10);
    }

    private static JobDefinition Definition(string json) => CoreJson.Deserialize<JobDefinition>(json);

    private IActorRef Job(string id) => Sys.ActorOf(JobEntity.Props(JobId.Parse(id), _context));

    /// <summary>An on-demand job, created and triggered once: answers the job and its run's id.</summary>
    private (IActorRef Job, RunId RunId) TriggeredOnDemandJob(string id)
    {
        var job = Job(id);
        job.Tell(new JobRequest(new DefineJob(new JobDefinition { Id = id, Run = new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } } }, true)));
        ExpectMsg<JobAccepted>();
        job.Tell(new JobRequest(new TriggerJob(RunTrigger.Manual, null, null)));
        return (job, ExpectMsg<JobAccepted>().NewRun!.Value);
    }

    private void StopAndWait(IActorRef job)
    {
        Watch(job);
        Sys.Stop(job);
        ExpectTerminated(job);
    }

    [Fact]
    public void Should_persist_reply_and_write_its_index_row_when_created()
    {
        var job = Job("created");

        job.Tell(new JobRequest(new DefineJob(Definition("""{"id":"created","schedule":{"every":{"hours":1}},"run":{"handler":{"name":"noop"}}}"""), true)));

        var reply = ExpectMsg<JobAccepted>();
        Assert.Equal(JobStatus.Scheduled, reply.View.Status);
        var row = _index.ExpectMsg<JobIndexRow>();
        Assert.Equal((_clock.GetUtcNow().AddHours(1), JobStatus.Scheduled), (row.WakeAt, row.Status));
    }

    [Fact]
    public void Should_reply_the_refusal_and_persist_nothing_when_the_definition_is_invalid()
    {
        var job = Job("refused");

        job.Tell(new JobRequest(new DefineJob(Definition("""{"id":"refused","schedule":{"cron":"61 * * * *"},"run":{"handler":{"name":"noop"}}}"""), true)));

        var reply = ExpectMsg<JobRefused>();
        Assert.Equal(RejectionKind.Invalid, reply.Kind);
        Assert.Contains("schedule.cron", reply.Message);
        _index.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        StopAndWait(job);
        Job("refused").Tell(GetJob.Instance);
        Assert.Equal(RejectionKind.NotFound, ExpectMsg<JobRefused>().Kind);
    }

    [Fact]
    public void Should_dispatch_a_run_to_the_dispatcher_when_triggered_and_route_its_outcome_to_triggers()
    {
        var (job, runId) = TriggeredOnDemandJob("manual");

        var dispatch = _dispatcher.ExpectMsg<DispatchRun>();
        Assert.Equal((runId, 1L), (dispatch.RunId, dispatch.FencingToken));
        job.Tell(new JobRequest(new ReportRunFinished(runId, 1, RunStatus.Succeeded, 0, "done")));
        ExpectMsg<JobAccepted>();
        var completed = _triggers.ExpectMsg<RunCompleted>();
        Assert.Equal((runId, RunStatus.Succeeded), (completed.RunId, completed.Outcome));
    }

    [Fact]
    public void Should_rewrite_its_index_row_and_send_a_pending_run_again_under_a_new_token_when_recovered()
    {
        var (job, _) = TriggeredOnDemandJob("recovered");
        var first = _dispatcher.ExpectMsg<DispatchRun>();
        StopAndWait(job);
        _index.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m);

        Job("recovered");

        var row = _index.ExpectMsg<JobIndexRow>();
        Assert.Equal(JobStatus.Running, row.Status);
        Assert.NotNull(row.WakeAt);
        var again = _dispatcher.ExpectMsg<DispatchRun>();
        Assert.Equal(first.RunId, again.RunId);
        Assert.True(again.FencingToken > first.FencingToken, "a re-sent run must fence out the first dispatch");
    }

    [Fact]
    public void Should_ask_the_dispatcher_to_check_a_running_run_when_recovered()
    {
        var (job, runId) = TriggeredOnDemandJob("checked");
        _dispatcher.ExpectMsg<DispatchRun>();
        job.Tell(new JobRequest(new ReportRunStarted(runId, 1, "w1")));
        ExpectMsg<JobAccepted>();
        AwaitAssert(() =>
        {
            job.Tell(GetRuns.Instance);
            Assert.Equal(RunStatus.Running, ExpectMsg<RunsListed>().Runs.Single().Status);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        StopAndWait(job);

        Job("checked");

        var reconcile = _dispatcher.ExpectMsg<ReconcileRun>();
        Assert.Equal((runId, RunStatus.Running, "w1"), (reconcile.Run.RunId, reconcile.Status, reconcile.Worker));
    }

    [Fact]
    public void Should_journal_a_short_run_as_one_finish_carrying_its_start()
    {
        var (job, runId) = TriggeredOnDemandJob("short");
        var startedAt = _clock.GetUtcNow();

        job.Tell(new JobRequest(new ReportRunStarted(runId, 1, "w1")));
        ExpectMsg<JobAccepted>();
        job.Tell(new JobRequest(new ReportRunFinished(runId, 1, RunStatus.Succeeded, 0, "ok", null, "w1", startedAt)));
        ExpectMsg<JobAccepted>();
        job.Tell(GetRuns.Instance);

        var run = ExpectMsg<RunsListed>().Runs.Single();
        Assert.Equal((RunStatus.Succeeded, "w1", (DateTimeOffset?)startedAt), (run.Status, run.Worker, run.StartedAt));
        // Past the delay the deferred start finds the run finished and journals nothing.
        ExpectNoMsg(_context.Settings.StartJournalDelay + TimeSpan.FromMilliseconds(300));
        StopAndWait(job);
        var recovered = Job("short");
        recovered.Tell(GetRuns.Instance);
        Assert.Equal("w1", ExpectMsg<RunsListed>().Runs.Single().Worker);
        recovered.Tell(GetJob.Instance);
        Assert.Equal(3, ExpectMsg<JobFound>().View.Version); // defined, dispatched, finished: no separate start

    }

    [Fact]
    public void Should_fire_its_own_timer_when_the_next_occurrence_is_near()
    {
        _clock.SetUtcNow(DateTimeOffset.UtcNow);
        var job = Job("timer");

        job.Tell(new JobRequest(new DefineJob(Definition("""{"id":"timer","schedule":{"after":"PT0.5S"},"run":{"handler":{"name":"noop"}}}"""), true)));
        ExpectMsg<JobAccepted>();
        _clock.Advance(TimeSpan.FromSeconds(1));

        var dispatch = _dispatcher.ExpectMsg<DispatchRun>(TimeSpan.FromSeconds(10));
        Assert.Equal("timer", dispatch.JobId.Value);
    }
}
