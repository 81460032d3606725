using ActorScheduler.Core;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;
using ActorScheduler.Engine.ClientApi;

namespace ActorScheduler.Client.Tests;

/// <summary>Where an awaited run stands: over, still going, retried, or unknown.</summary>
public sealed class RunChainsSpecs
{
    private static readonly JobId Job = JobId.Parse("job");
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RunId Id(long sequence) => new(Job, sequence);

    private static RunView Run(long sequence, RunStatus status, int attempt = 1, long? retryOf = null) => new(
        Id(sequence).ToString(), Job.Value, attempt, status, RunTrigger.Manual, At, null, null, null, null, null, null, null,
        sequence, retryOf is { } previous ? Id(previous).ToString() : null, null);

    private static JobView View(int maxAttempts = 1, JobStatus status = JobStatus.Waiting, RunView? lastRun = null) => new(
        Job.Value, status, true,
        new JobDefinition { Id = Job.Value, Retry = new RetrySpec { MaxAttempts = maxAttempts } },
        null, lastRun, 1, 0, null, 3);

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Canceled)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Lost)]
    public void Should_settle_a_finished_run_that_no_retry_follows(RunStatus status)
    {
        var run = Run(1, status);

        var standing = RunChains.Judge(Id(1), run, View(maxAttempts: 1, lastRun: run));

        Assert.Equal(new AwaitedRunStanding.Settled(run), standing);
    }

    [Theory]
    [InlineData(RunStatus.Pending)]
    [InlineData(RunStatus.Running)]
    public void Should_keep_waiting_for_a_run_in_flight(RunStatus status)
    {
        var run = Run(1, status);

        Assert.IsType<AwaitedRunStanding.Pending>(RunChains.Judge(Id(1), run, View(lastRun: run)));
    }

    [Fact]
    public void Should_follow_a_failed_attempt_with_attempts_left_to_its_retry()
    {
        var failed = Run(1, RunStatus.Failed);
        var retried = Run(2, RunStatus.Succeeded, attempt: 2, retryOf: 1);
        var job = View(maxAttempts: 3, lastRun: retried);

        var standing = RunChains.Judge(Id(1), failed, job);
        var final = RunChains.AfterRetries(failed, [retried, failed], job);

        Assert.Equal(new AwaitedRunStanding.Retrying(failed), standing);
        Assert.Equal(new AwaitedRunStanding.Settled(retried), final);
    }

    [Fact]
    public void Should_keep_waiting_while_the_retry_is_still_to_come()
    {
        var failed = Run(1, RunStatus.Failed);
        var running = Run(2, RunStatus.Running, attempt: 2, retryOf: 1);
        var job = View(maxAttempts: 3, lastRun: failed);

        Assert.IsType<AwaitedRunStanding.Pending>(RunChains.AfterRetries(failed, [failed], job));
        Assert.IsType<AwaitedRunStanding.Pending>(RunChains.AfterRetries(failed, [running, failed], job));
    }

    [Fact]
    public void Should_settle_with_the_last_attempt_when_every_attempt_failed()
    {
        var attempts = new[] { Run(1, RunStatus.Failed), Run(2, RunStatus.TimedOut, 2, 1), Run(3, RunStatus.Failed, 3, 2) };

        var final = RunChains.AfterRetries(attempts[0], attempts.Reverse().ToList(), View(maxAttempts: 3));

        Assert.Equal(new AwaitedRunStanding.Settled(attempts[2]), final);
    }

    [Fact]
    public void Should_settle_a_failed_attempt_of_a_canceled_job_as_no_retry_comes()
    {
        var failed = Run(1, RunStatus.Failed);

        var standing = RunChains.Judge(Id(1), failed, View(maxAttempts: 3, status: JobStatus.Canceled, lastRun: failed));

        Assert.Equal(new AwaitedRunStanding.Settled(failed), standing);
    }

    [Fact]
    public void Should_wait_for_a_run_buffered_behind_a_running_one()
    {
        var running = Run(1, RunStatus.Running);

        Assert.IsType<AwaitedRunStanding.Pending>(RunChains.Judge(Id(2), null, View(lastRun: running)));
    }

    [Fact]
    public void Should_call_a_run_unknown_when_its_job_never_ran_it_or_no_longer_keeps_it()
    {
        Assert.IsType<AwaitedRunStanding.Unknown>(RunChains.Judge(Id(1), null, null));
        Assert.IsType<AwaitedRunStanding.Unknown>(RunChains.Judge(Id(1), null, View(lastRun: null)));
        Assert.IsType<AwaitedRunStanding.Unknown>(RunChains.Judge(Id(2), null, View(lastRun: Run(60, RunStatus.Succeeded))));
    }
}
