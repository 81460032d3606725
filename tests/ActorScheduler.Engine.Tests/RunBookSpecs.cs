using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.Dispatch;
using ActorScheduler.Engine.Protocol;
using ActorScheduler.Runners;
using Akka.Actor;

namespace ActorScheduler.Engine.Tests;

/// <summary>
/// The worker's bookkeeping without an actor: starting runs (duplicates and draining), answering probes, thinning
/// progress, the outcome report, and outcomes kept and sent again until their job acknowledges them. Time is
/// passed in explicitly; nothing reads a clock.
/// </summary>
public sealed class RunBookSpecs
{
    private const string WorkerName = "w1";

    private static readonly JobId Job = JobId.Parse("report");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly IActorRef Dispatcher = ActorRefs.Nobody;

    /// <summary>Something that waits for a drain, told apart by its path; never sent anything here.</summary>
    private sealed class Waiter(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("akka.tcp", "actor-scheduler", "127.0.0.1", 4001)) / "user" / name;

        public override IActorRefProvider Provider => throw new NotSupportedException("no actor system here");
    }

    private static RunId RunId(long n) => new(Job, n);

    private static DispatchRun Run(long n, long? fencingToken = null) =>
        new(new RunRequest(Job, RunId(n), 1, fencingToken ?? n, DateTimeOffset.UnixEpoch,
            new RunSpec { Handler = new HandlerRunSpec { Name = "noop" } }, null, null), null, null, false);

    private static JobEnvelope Report(long n) =>
        new(Job, new JobRequest(new ReportRunFinished(RunId(n), n, RunStatus.Succeeded, Worker: WorkerName)));

    private static RunBook BookWithFinished(params DispatchRun[] runs)
    {
        var book = new RunBook(WorkerName);
        foreach (var run in runs)
        {
            book.Start(run, Dispatcher, T0);
            book.Finish(run.RunId, RunResult.Succeeded());
        }
        return book;
    }

    // Starting a run.

    [Fact]
    public void Should_refuse_a_run_as_full_when_every_slot_is_taken_but_still_answer_a_duplicate_as_started()
    {
        var book = new RunBook(WorkerName, slots: 2);
        book.Start(Run(1), Dispatcher, T0);
        book.Start(Run(2), Dispatcher, T0);

        var third = book.Start(Run(3), Dispatcher, T0);
        var duplicate = book.Start(Run(2), Dispatcher, T0);
        book.Finish(RunId(1), RunResult.Succeeded());
        var afterOne = book.Start(Run(3), Dispatcher, T0);

        var refused = Assert.IsType<StartRefused>(third);
        Assert.True(refused.Full);
        Assert.Contains("2 slots", refused.Reason);
        Assert.IsType<AlreadyStarted>(duplicate);
        Assert.IsType<Started>(afterOne);
    }

    [Fact]
    public void Should_start_a_run_when_the_worker_does_not_know_it()
    {
        var book = new RunBook(WorkerName);
        var run = Run(1);

        var decision = book.Start(run, Dispatcher, T0);

        var started = Assert.IsType<Started>(decision);
        Assert.Same(run, started.Run.Run);
        Assert.Same(Dispatcher, started.Run.Dispatcher);
        Assert.Equal(T0, started.Run.StartedAt);
        Assert.Same(started.Run, book.Running(run.RunId));
        Assert.Single(book.InFlight);
    }

    [Fact]
    public void Should_answer_already_started_when_the_same_run_arrives_again_while_it_runs()
    {
        var book = new RunBook(WorkerName);
        book.Start(Run(1), Dispatcher, T0);

        var decision = book.Start(Run(1), Dispatcher, T0.AddSeconds(5));

        Assert.IsType<AlreadyStarted>(decision);
        Assert.True(book.InFlight.Count == 1, "a duplicate start must not run the work twice");
        Assert.Equal(T0, book.Running(RunId(1))!.StartedAt);
    }

    [Fact]
    public void Should_answer_already_started_when_a_finished_run_arrives_again_under_the_same_fencing_token()
    {
        var book = BookWithFinished(Run(1, fencingToken: 4));

        var decision = book.Start(Run(1, fencingToken: 4), Dispatcher, T0.AddMinutes(1));

        Assert.IsType<AlreadyStarted>(decision);
        Assert.Empty(book.InFlight);
    }

    [Fact]
    public void Should_start_a_finished_run_again_when_it_arrives_under_a_new_fencing_token()
    {
        var book = BookWithFinished(Run(1, fencingToken: 4));

        var decision = book.Start(Run(1, fencingToken: 5), Dispatcher, T0.AddMinutes(1));

        Assert.True(decision is Started, "a new fencing token for a finished run id is a real re-dispatch, not a duplicate");
        Assert.Equal(ProbeAnswer.Running, book.Probe(RunId(1), Dispatcher));
    }

    [Fact]
    public void Should_answer_already_started_when_a_finished_run_arrives_under_an_older_fencing_token()
    {
        var book = BookWithFinished(Run(1, fencingToken: 5));

        var decision = book.Start(Run(1, fencingToken: 4), Dispatcher, T0.AddMinutes(1));

        Assert.True(decision is AlreadyStarted, "an older dispatch than the one that finished is a stale duplicate, not a re-dispatch");
    }

    // A recovered job's dispatcher takes over a run.

    [Fact]
    public void Should_release_a_running_run_to_the_dispatcher_that_probed_it_when_a_job_recovered_elsewhere()
    {
        var book = new RunBook(WorkerName);
        var placedBy = new Waiter("dispatcher-of-the-dead-node");
        var prober = new Waiter("dispatcher-of-the-survivor");
        book.Start(Run(1), placedBy, T0);

        Assert.Equal(ProbeAnswer.Running, book.Probe(RunId(1), prober));

        Assert.Same(prober, book.Finish(RunId(1), RunResult.Succeeded())!.Value.Run.Dispatcher);
    }

    [Fact]
    public void Should_release_a_finished_run_to_the_dispatcher_that_probed_it_once_its_outcome_is_acknowledged()
    {
        var book = BookWithFinished(Run(1));
        book.Sending(RunId(1), Report(1));
        var prober = new Waiter("dispatcher-of-the-survivor");

        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(1), prober));

        Assert.Same(prober, book.Acknowledged(RunId(1)));
        Assert.Null(book.Acknowledged(RunId(1)));
    }

    [Fact]
    public void Should_name_no_dispatcher_to_release_to_when_nobody_probed_the_finished_run()
    {
        var book = BookWithFinished(Run(1));
        book.Sending(RunId(1), Report(1));

        Assert.Null(book.Acknowledged(RunId(1)));
    }

    // Draining.

    [Fact]
    public void Should_refuse_a_new_run_when_the_worker_is_draining()
    {
        var book = new RunBook(WorkerName);
        book.BeginDrain(new Waiter("stopper"));

        var decision = book.Start(Run(1), Dispatcher, T0);

        var refused = Assert.IsType<StartRefused>(decision);
        Assert.Contains(WorkerName, refused.Reason);
        Assert.Empty(book.InFlight);
    }

    [Fact]
    public void Should_not_refuse_a_run_already_running_when_it_arrives_again_while_draining()
    {
        var book = new RunBook(WorkerName);
        book.Start(Run(1), Dispatcher, T0);
        book.BeginDrain(new Waiter("stopper"));

        var decision = book.Start(Run(1), Dispatcher, T0.AddSeconds(1));

        Assert.True(decision is AlreadyStarted,
            "a refusal would make the dispatcher place the run elsewhere while it still runs here");
    }

    [Fact]
    public void Should_be_drained_only_when_draining_with_nothing_running_and_nothing_unacknowledged()
    {
        var book = new RunBook(WorkerName);
        Assert.False(book.Drained, "a worker that is not stopping is never drained");

        book.Start(Run(1), Dispatcher, T0);
        book.BeginDrain(new Waiter("stopper"));
        Assert.False(book.Drained, "run 1 is still running");

        var (_, report) = book.Finish(RunId(1), RunResult.Succeeded())!.Value;
        book.Sending(RunId(1), report);
        Assert.False(book.Drained, "run 1's outcome is not acknowledged by its job yet");

        book.Acknowledged(RunId(1));
        Assert.True(book.Drained);
    }

    [Fact]
    public void Should_hold_everyone_who_asked_when_a_drain_is_begun()
    {
        var book = new RunBook(WorkerName);
        var shutdown = new Waiter("shutdown");
        var operatorAsk = new Waiter("operator");

        book.BeginDrain(shutdown);
        book.BeginDrain(operatorAsk);

        Assert.True(book.Draining);
        Assert.Equal([shutdown, operatorAsk], book.DrainWaiters);
    }

    // Probes.

    [Fact]
    public void Should_answer_a_probe_with_running_finished_or_unknown_when_asked_about_a_run()
    {
        var book = BookWithFinished(Run(2));
        book.Start(Run(1), Dispatcher, T0);

        Assert.Equal(ProbeAnswer.Running, book.Probe(RunId(1), Dispatcher));
        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(2), Dispatcher));
        Assert.Equal(ProbeAnswer.Unknown, book.Probe(RunId(3), Dispatcher));
    }

    [Fact]
    public void Should_forget_the_oldest_finished_run_when_more_than_FinishedMemory_runs_finished()
    {
        var book = BookWithFinished(Run(1));

        for (long n = 2; n <= RunBook.FinishedMemory + 1; n++)
        {
            book.Start(Run(n), Dispatcher, T0);
            book.Finish(RunId(n), RunResult.Succeeded());
        }

        Assert.True(book.Probe(RunId(1), Dispatcher) == ProbeAnswer.Unknown, "run 1 is one finish beyond the memory");
        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(2), Dispatcher));
        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(RunBook.FinishedMemory + 1), Dispatcher));
    }

    [Fact]
    public void Should_remember_a_run_by_its_latest_finish_when_it_finished_twice_under_two_fencing_tokens()
    {
        // Run 1 finishes, run 2 finishes, run 1 is re-dispatched under a new token and finishes again: run 2 is now
        // the older finish, so it is the one to forget first.
        var book = BookWithFinished(Run(1, fencingToken: 1), Run(2), Run(1, fencingToken: 3));

        for (long n = 3; n <= RunBook.FinishedMemory; n++)
        {
            book.Start(Run(n + 10), Dispatcher, T0);
            book.Finish(RunId(n + 10), RunResult.Succeeded());
        }

        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(2), Dispatcher));
        Assert.True(book.Probe(RunId(1), Dispatcher) == ProbeAnswer.Finished,
            "run 1 finished after run 2, which is still remembered; a probe for run 1 answered unknown reports it lost");
    }

    // Progress.

    [Fact]
    public void Should_send_progress_at_most_once_per_interval_when_a_run_reports_progress()
    {
        var book = new RunBook(WorkerName);
        book.Start(Run(1, fencingToken: 7), Dispatcher, T0);
        var tooSoon = T0 + RunBook.ProgressInterval - TimeSpan.FromMilliseconds(1);

        var first = book.Progress(RunId(1), 1, 10, T0);
        var second = book.Progress(RunId(1), 2, 10, tooSoon);
        var third = book.Progress(RunId(1), 3, 10, T0 + RunBook.ProgressInterval);

        Assert.NotNull(first);
        Assert.Equal(Job, first.JobId);
        Assert.Equal(new ReportRunProgress(RunId(1), 7, 1, 10), Assert.IsType<JobRequest>(first.Message).Command);
        Assert.True(second is null, "less than a progress interval after the last report");
        Assert.NotNull(third);
        Assert.Equal(new ReportRunProgress(RunId(1), 7, 3, 10), Assert.IsType<JobRequest>(third.Message).Command);
    }

    [Fact]
    public void Should_always_send_the_final_progress_when_current_reaches_max()
    {
        var book = new RunBook(WorkerName);
        book.Start(Run(1), Dispatcher, T0);
        book.Progress(RunId(1), 9, 10, T0);
        var soonAfter = T0 + RunBook.ProgressInterval / 2;

        var final = book.Progress(RunId(1), 10, 10, soonAfter);
        var afterFinal = book.Progress(RunId(1), 10, 20, soonAfter + RunBook.ProgressInterval / 2 + TimeSpan.FromMilliseconds(1));

        Assert.True(final is not null, "the last report (current = max) must not be thinned away");
        Assert.Equal(new ReportRunProgress(RunId(1), 1, 10, 10), Assert.IsType<JobRequest>(final.Message).Command);
        Assert.True(afterFinal is null, "an interval has passed since the first report, but not since the final one: the interval starts again from it");
    }

    [Fact]
    public void Should_send_no_progress_when_the_run_is_not_running_here()
    {
        var book = BookWithFinished(Run(2));

        Assert.Null(book.Progress(RunId(1), 10, 10, T0));
        Assert.Null(book.Progress(RunId(2), 10, 10, T0));
    }

    // Finishing.

    [Fact]
    public void Should_make_the_outcome_report_for_the_runs_job_when_a_run_finishes()
    {
        var book = new RunBook(WorkerName);
        var startedAt = T0.AddSeconds(3);
        book.Start(Run(1, fencingToken: 42), Dispatcher, startedAt);

        var finished = book.Finish(RunId(1), RunResult.Failed("boom", "partial output", exitCode: 2));

        Assert.NotNull(finished);
        var (run, report) = finished.Value;
        Assert.Equal(RunId(1), run.Run.RunId);
        Assert.Equal(Job, report.JobId);
        var command = Assert.IsType<JobRequest>(report.Message).Command;
        Assert.Equal(new ReportRunFinished(RunId(1), 42, RunStatus.Failed, 2, "partial output", "boom", WorkerName, startedAt), command);
        Assert.Null(book.Running(RunId(1)));
        Assert.Equal(ProbeAnswer.Finished, book.Probe(RunId(1), Dispatcher));
    }

    [Fact]
    public void Should_make_no_report_when_a_run_not_running_here_finishes()
    {
        var book = BookWithFinished(Run(2));

        Assert.Null(book.Finish(RunId(1), RunResult.Succeeded()));
        Assert.True(book.Finish(RunId(2), RunResult.Succeeded()) is null, "a run finishes once");
    }

    // Outcomes until acknowledged.

    [Fact]
    public void Should_count_the_attempts_and_keep_the_report_when_an_outcome_is_sent_until_acknowledged()
    {
        var book = new RunBook(WorkerName);
        var report = Report(1);

        var first = book.Sending(RunId(1), report);
        var second = book.Sending(RunId(1), report);

        Assert.Equal((1, (RunId?)null), first);
        Assert.Equal((2, (RunId?)null), second);
        Assert.Equal(2, book.Attempts(RunId(1)));
        Assert.Same(report, book.Unanswered(RunId(1)));
        Assert.Equal(1, book.UnacknowledgedCount);
    }

    [Fact]
    public void Should_back_off_2_4_8_10_10_seconds_when_an_outcome_stays_unacknowledged()
    {
        var book = new RunBook(WorkerName);
        var delays = new List<TimeSpan?>();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            book.Sending(RunId(1), Report(1));
            delays.Add(book.ResendDelay(RunId(1)));
        }

        Assert.Equal([2, 4, 8, 10, 10], delays.Select(d => d!.Value.TotalSeconds));
    }

    [Fact]
    public void Should_forget_the_outcome_when_its_job_acknowledges_it()
    {
        var book = new RunBook(WorkerName);
        book.Sending(RunId(1), Report(1));

        book.Acknowledged(RunId(1));

        Assert.Null(book.Unanswered(RunId(1)));
        Assert.True(book.ResendDelay(RunId(1)) is null, "an acknowledged outcome is not sent again");
        Assert.Equal(0, book.Attempts(RunId(1)));
        Assert.Equal(0, book.UnacknowledgedCount);
    }

    [Fact]
    public void Should_give_up_the_oldest_outcome_when_more_than_UnacknowledgedMemory_are_unacknowledged()
    {
        var book = new RunBook(WorkerName);
        for (long n = 1; n <= RunBook.UnacknowledgedMemory; n++)
            Assert.Null(book.Sending(RunId(n), Report(n)).GivenUp);

        var resent = book.Sending(RunId(5), Report(5));
        var beyond = book.Sending(RunId(RunBook.UnacknowledgedMemory + 1), Report(RunBook.UnacknowledgedMemory + 1));

        Assert.True(resent.GivenUp is null, "sending a pending outcome again adds nothing, so nothing is given up");
        Assert.Equal(RunId(1), beyond.GivenUp);
        Assert.Null(book.Unanswered(RunId(1)));
        Assert.Equal(RunBook.UnacknowledgedMemory, book.UnacknowledgedCount);
    }

    [Fact]
    public void Should_give_up_the_oldest_outcome_when_memory_fills_again_after_some_were_acknowledged()
    {
        var book = new RunBook(WorkerName);
        for (long n = 1; n <= RunBook.UnacknowledgedMemory; n++)
            book.Sending(RunId(n), Report(n));
        book.Acknowledged(RunId(1));
        var newest = RunBook.UnacknowledgedMemory + 1;
        book.Sending(RunId(newest), Report(newest)); // fills the memory again

        var beyond = book.Sending(RunId(newest + 1), Report(newest + 1));

        Assert.True(beyond.GivenUp == RunId(2),
            $"run 2 is the oldest unacknowledged outcome, but {beyond.GivenUp} was given up");
        Assert.NotNull(book.Unanswered(RunId(newest)));
    }
}
