using System.Text.Json;
using ActorScheduler.Core.Definitions;
using ActorScheduler.Core.Jobs;

namespace ActorScheduler.Core.Tests.Jobs;

/// <summary>
/// onFailure, the circuit breaker: K consecutive runs that failed for good pause the job with the count in the reason;
/// probeAfter sends one probe run after the delay, again after each failed probe; any success resumes it.
/// </summary>
public sealed class PauseOnFailureSpecs : JobSpecification
{
    private static readonly TimeSpan ProbeDelay = TimeSpan.FromMinutes(10);

    private void Define(int pauseAfter = 3, TimeSpan? probeAfter = null, RetrySpec? retry = null) =>
        Do(new DefineJob(OnDemand(d => d with
        {
            OnFailure = new OnFailureSpec { PauseAfter = pauseAfter, ProbeAfter = probeAfter },
            Retry = retry,
        }), true), T0);

    private IReadOnlyList<JobEvent> RunOnce(RunStatus outcome, DateTimeOffset at)
    {
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), at);
        return Finish(InFlight(), outcome, at.AddSeconds(1));
    }

    [Fact]
    public void Should_pause_with_the_count_in_the_reason_when_pauseAfter_runs_fail_in_a_row()
    {
        Define(pauseAfter: 3);
        RunOnce(RunStatus.Failed, T0);
        RunOnce(RunStatus.TimedOut, T0.AddMinutes(1));
        Assert.False(State.Paused, "two failures are below pauseAfter 3");

        var third = RunOnce(RunStatus.Lost, T0.AddMinutes(2));

        var paused = Single<JobPaused>(third);
        Assert.Equal(3, paused.Failures);
        Assert.Contains("3 consecutive failed runs", paused.Reason);
        Assert.Null(paused.ProbeAt);
        Assert.Equal((JobStatus.Paused, true), (State.Status, State.PausedOnFailure));
        Assert.Null(State.NextWakeAt);
    }

    [Fact]
    public void Should_start_counting_again_when_a_run_succeeds_in_between()
    {
        Define(pauseAfter: 2);
        RunOnce(RunStatus.Failed, T0);
        RunOnce(RunStatus.Succeeded, T0.AddMinutes(1));

        var events = RunOnce(RunStatus.Failed, T0.AddMinutes(2));

        Assert.Empty(events.OfType<JobPaused>());
        Assert.Equal(1, State.ConsecutiveFailures);
    }

    [Fact]
    public void Should_count_a_run_once_after_its_retries_not_each_failed_attempt()
    {
        Define(pauseAfter: 2, retry: new RetrySpec { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) });
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), T0);
        Finish(InFlight(), RunStatus.Failed, T0.AddSeconds(1));
        Assert.Equal(0, State.ConsecutiveFailures);

        Wake(T0.AddSeconds(2));
        var last = Finish(InFlight(), RunStatus.Failed, T0.AddSeconds(3));

        Assert.Equal(1, State.ConsecutiveFailures);
        Assert.Empty(last.OfType<JobPaused>());
    }

    [Fact]
    public void Should_send_one_probe_run_after_probeAfter_and_resume_when_it_succeeds()
    {
        Define(pauseAfter: 1, probeAfter: ProbeDelay);
        var paused = Single<JobPaused>(RunOnce(RunStatus.Failed, T0));
        var probeAt = T0.AddSeconds(1) + ProbeDelay;
        Assert.Equal(probeAt, paused.ProbeAt);
        Assert.Equal(probeAt, State.NextWakeAt);

        Assert.Empty(Wake(probeAt.AddSeconds(-1)));
        var probe = Single<RunDispatched>(Wake(probeAt));
        var outcome = Finish(InFlight(), RunStatus.Succeeded, probeAt.AddSeconds(1));

        Assert.Equal((RunTrigger.Probe, probeAt), (probe.Trigger, probe.ScheduledFor));
        Assert.Contains("succeeded", Single<JobResumed>(outcome).Reason);
        Assert.Equal((false, false, 0), (State.Paused, State.PausedOnFailure, State.ConsecutiveFailures));
    }

    [Fact]
    public void Should_stay_paused_and_probe_again_after_the_same_delay_when_the_probe_fails()
    {
        Define(pauseAfter: 1, probeAfter: ProbeDelay, retry: new RetrySpec { MaxAttempts = 3 });
        Do(new TriggerJob(RunTrigger.Manual, null, "api"), T0);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Finish(InFlight(), RunStatus.Failed, T0.AddMinutes(attempt));
            if (State.Retries.FirstOrDefault() is { NotBefore: { } retryAt })
                Wake(retryAt);
        }
        var firstProbe = State.ProbeAt!.Value;

        Wake(firstProbe);
        var failed = Finish(InFlight(), RunStatus.Failed, firstProbe.AddSeconds(1));

        var again = Single<JobPaused>(failed);
        Assert.Contains("probe run", again.Reason);
        Assert.Equal(firstProbe.AddSeconds(1) + ProbeDelay, again.ProbeAt);
        Assert.Empty(State.Retries);
        Assert.True(State.PausedOnFailure);
    }

    [Fact]
    public void Should_not_end_a_pause_by_a_person_when_a_run_succeeds()
    {
        Define(pauseAfter: 1);
        Do(new PauseJob("maintenance"), T0);

        var events = RunOnce(RunStatus.Succeeded, T0.AddMinutes(1));

        Assert.Empty(events.OfType<JobResumed>());
        Assert.Equal("maintenance", State.PausedReason);
    }

    [Fact]
    public void Should_resume_by_hand_and_give_the_job_a_fresh_count()
    {
        Define(pauseAfter: 2, probeAfter: ProbeDelay);
        RunOnce(RunStatus.Failed, T0);
        RunOnce(RunStatus.Failed, T0.AddMinutes(1));

        Do(new ResumeJob(), T0.AddMinutes(2));

        Assert.Equal((false, 0, (DateTimeOffset?)null), (State.Paused, State.ConsecutiveFailures, State.ProbeAt));
        Assert.Empty(RunOnce(RunStatus.Failed, T0.AddMinutes(3)).OfType<JobPaused>());
    }

    [Fact]
    public void Should_keep_the_count_and_the_probe_through_a_snapshot_and_a_replay()
    {
        Define(pauseAfter: 2, probeAfter: ProbeDelay);
        RunOnce(RunStatus.Failed, T0);
        RunOnce(RunStatus.Failed, T0.AddMinutes(1));

        var snapshot = JsonSerializer.Deserialize<JobState>(Json(State), CoreJson.Options)!;

        Assert.Equal((2, true, State.ProbeAt), (snapshot.ConsecutiveFailures, snapshot.PausedOnFailure, snapshot.ProbeAt));
        Assert.Equal(State.NextWakeAt, snapshot.NextWakeAt);
    }

    [Fact]
    public void Should_read_a_snapshot_and_a_pause_stored_before_the_breaker_existed()
    {
        var paused = JsonSerializer.Deserialize<JobPaused>("""{"reason":"maintenance","at":"2026-11-22T12:00:00+00:00"}""", CoreJson.Options)!;
        var state = JobState.Empty(Id).Apply(new JobDefined(OnDemand(), true, null, T0)).Apply(paused);

        Assert.Equal((null, null), (paused.Failures, paused.ProbeAt));
        Assert.False(state.PausedOnFailure);
        Assert.DoesNotContain("failures", JsonSerializer.Serialize(paused, CoreJson.Options));
        Assert.DoesNotContain("consecutiveFailures", Json(JobState.Empty(Id)));
    }

    [Theory]
    [InlineData(null, null, "onFailure.pauseAfter")]
    [InlineData(0, null, "onFailure.pauseAfter")]
    [InlineData(3, "-PT1S", "onFailure.probeAfter")]
    [InlineData(3, "PT0S", "onFailure.probeAfter")]
    public void Should_refuse_an_onFailure_without_a_positive_count_or_delay(int? pauseAfter, string? probeAfter, string field)
    {
        var definition = OnDemand(d => d with
        {
            OnFailure = new OnFailureSpec { PauseAfter = pauseAfter, ProbeAfter = probeAfter is null ? null : System.Xml.XmlConvert.ToTimeSpan(probeAfter) },
        });

        Assert.Contains(JobDefinitionValidator.Validate(definition), e => e.Field == field);
    }
}
